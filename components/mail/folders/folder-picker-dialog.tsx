"use client";

import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import type { Folder } from "@/lib/mail/types";
import { folderTrail } from "./folder-tree";

/** "Move to…" / "Copy to…": every selectable folder but the current one, filtered as you type. */
export function FolderPickerDialog({
  title,
  folders,
  exclude,
  onPick,
  onClose,
}: {
  title: string;
  folders: Folder[];
  exclude: string;
  onPick: (path: string) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState("");
  const needle = query.trim().toLowerCase();
  const byPath = new Map(folders.map((f) => [f.path, f]));
  const choices = folders
    .filter((f) => f.selectable && f.path !== exclude)
    .map((f) => ({ folder: f, label: folderTrail(f, byPath) }))
    .filter(({ label }) => !needle || label.toLowerCase().includes(needle));
  return (
    <Dialog title={title} onClose={onClose}>
      <label className="block text-sm font-medium">
        Search folders
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && choices[0]) {
              e.preventDefault();
              onPick(choices[0].folder.path);
            }
          }}
          className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-1.5 dark:border-slate-700 dark:bg-slate-950"
        />
      </label>
      <ul aria-label="Folders to choose from" className="mt-3 max-h-72 overflow-y-auto">
        {choices.map(({ folder: f, label }) => (
          <li key={f.path}>
            <button
              type="button"
              className="w-full rounded-lg px-3 py-1.5 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
              onClick={() => onPick(f.path)}
            >
              {label}
            </button>
          </li>
        ))}
        {choices.length === 0 && <li className="px-3 py-2 text-sm text-slate-500">No folder matches.</li>}
      </ul>
    </Dialog>
  );
}
