"use client";

import { useEffect, useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import type { Folder } from "@/lib/mail/types";
import { ApiError } from "@/components/mail/data/api-client";
import { organizeApi } from "@/components/mail/data/organize-api";
import { folderTrail } from "./folder-tree";

/** Every folder on the server, subscribed or not: the tree shows only the subscribed ones. */
export function ManageFoldersDialog({ onChanged, onClose }: { onChanged: () => void; onClose: () => void }) {
  const [folders, setFolders] = useState<Folder[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    organizeApi.allFolders().then(setFolders, (e: unknown) => setError(e instanceof ApiError ? e.message : "The folders could not be loaded."));
  }, []);

  async function toggle(folder: Folder, subscribed: boolean) {
    setFolders((list) => list?.map((f) => (f.path === folder.path ? { ...f, subscribed } : f)) ?? list);
    try {
      await organizeApi.setSubscribed(folder.path, subscribed);
      setError(null);
      onChanged();
    } catch (e) {
      setFolders((list) => list?.map((f) => (f.path === folder.path ? { ...f, subscribed: !subscribed } : f)) ?? list);
      setError(e instanceof ApiError ? e.message : "The subscription could not be changed.");
    }
  }

  const byPath = new Map((folders ?? []).map((f) => [f.path, f]));
  return (
    <Dialog title="Manage folders" onClose={onClose}>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Subscribed folders appear in the folder list here and in other mail apps that follow subscriptions.
      </p>
      {error && (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      {!folders && !error && <p className="mt-3 text-sm text-slate-500">Loading folders…</p>}
      <ul aria-label="All folders" className="mt-3 max-h-80 overflow-y-auto">
        {folders?.map((f) => (
          <li key={f.path} className="flex items-center justify-between gap-3 py-1 text-sm">
            <span className="truncate">{folderTrail(f, byPath)}</span>
            <label className="flex shrink-0 items-center gap-1.5">
              <input
                type="checkbox"
                checked={f.subscribed || f.role === "inbox"}
                disabled={f.role === "inbox"}
                aria-label={`Subscribed to ${folderTrail(f, byPath)}`}
                onChange={(e) => void toggle(f, e.target.checked)}
              />
              Subscribed
            </label>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
