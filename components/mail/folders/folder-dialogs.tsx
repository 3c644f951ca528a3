"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { Folder } from "@/lib/mail/types";
import { ApiError } from "@/components/mail/data/api-client";
import { organizeApi } from "@/components/mail/data/organize-api";
import { folderLabel, folderTrail } from "./folder-tree";

const fieldClass = "mt-1 block w-full rounded-lg border border-slate-300 px-3 py-1.5 dark:border-slate-700 dark:bg-slate-950";

function messageOf(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.message : fallback;
}

function ParentSelect({
  folders,
  value,
  onChange,
  exclude,
}: {
  folders: Folder[];
  value: string;
  onChange: (value: string) => void;
  exclude?: (f: Folder) => boolean;
}) {
  const byPath = new Map(folders.map((f) => [f.path, f]));
  return (
    <label className="mt-3 block text-sm font-medium">
      Inside
      <select value={value} onChange={(e) => onChange(e.target.value)} className={fieldClass}>
        <option value="">Top level</option>
        {folders
          .filter((f) => !exclude?.(f))
          .map((f) => (
            <option key={f.path} value={f.path}>
              {folderTrail(f, byPath)}
            </option>
          ))}
      </select>
    </label>
  );
}

function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
      {error}
    </p>
  );
}

export function NewFolderDialog({
  folders,
  parentPath,
  onDone,
  onClose,
}: {
  folders: Folder[];
  parentPath: string | null;
  onDone: (path: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState("");
  const [parent, setParent] = useState(parentPath ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const created = await organizeApi.createFolder(name, parent || null);
      onDone(created.path);
    } catch (e) {
      setError(messageOf(e, "The folder could not be created."));
      setBusy(false);
    }
  }

  return (
    <Dialog title="New folder" onClose={onClose}>
      <form onSubmit={submit}>
        <label className="block text-sm font-medium">
          Folder name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} className={fieldClass} />
        </label>
        <ParentSelect folders={folders} value={parent} onChange={setParent} />
        <FormError error={error} />
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !name.trim()}>
            Create folder
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function RenameFolderDialog({
  folder,
  folders,
  onDone,
  onClose,
}: {
  folder: Folder;
  folders: Folder[];
  onDone: (newPath: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(folder.name);
  const [parent, setParent] = useState(folder.parentPath ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inside = (f: Folder) => f.path === folder.path || f.path.startsWith(folder.path + folder.delimiter);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const change: { name?: string; parentPath?: string | null } = {};
    if (name.trim() !== folder.name) change.name = name;
    if ((parent || null) !== folder.parentPath) change.parentPath = parent || null;
    if (change.name === undefined && change.parentPath === undefined) {
      onClose();
      return;
    }
    try {
      const renamed = await organizeApi.updateFolder(folder.path, change);
      onDone(renamed.path);
    } catch (e) {
      setError(messageOf(e, "The folder could not be renamed."));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Rename folder “${folderLabel(folder)}”`} onClose={onClose}>
      <form onSubmit={submit}>
        <label className="block text-sm font-medium">
          New name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} className={fieldClass} />
        </label>
        <ParentSelect folders={folders} value={parent} onChange={setParent} exclude={inside} />
        <FormError error={error} />
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !name.trim()}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function DeleteFolderDialog({
  folder,
  onDone,
  onFailed,
  onClose,
}: {
  folder: Folder;
  onDone: (movedToTrash: number) => void;
  /** The server refused: the shell says why and reloads the folders as the server has them. */
  onFailed: (message: string) => void;
  onClose: () => void;
}) {
  const [permanent, setPermanent] = useState(false);
  const [busy, setBusy] = useState(false);
  const label = folderLabel(folder);
  const holds = folder.total === 0 ? "It is empty." : `It holds ${folder.total === 1 ? "1 message" : `${folder.total.toLocaleString()} messages`}.`;

  async function confirm() {
    setBusy(true);
    try {
      const result = await organizeApi.deleteFolder(folder.path, permanent);
      onDone(result.movedToTrash);
    } catch (e) {
      onFailed(messageOf(e, "The folder could not be deleted."));
    }
  }

  return (
    <Dialog title={`Delete folder “${label}”?`} onClose={onClose}>
      <p className="text-sm">
        {holds}{" "}
        {folder.total > 0 && (permanent ? "They will be deleted permanently. This cannot be undone." : "They will be moved to Trash.")}
      </p>
      {folder.total > 0 && (
        <label className="mt-3 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={permanent} onChange={(e) => setPermanent(e.target.checked)} />
          Delete the messages permanently instead of moving them to Trash
        </label>
      )}
      <div className="mt-4 flex justify-end gap-2">
        <Button data-autofocus onClick={onClose}>
          Cancel
        </Button>
        <Button variant="primary" className="bg-red-700 hover:bg-red-800" disabled={busy} onClick={() => void confirm()}>
          Delete folder
        </Button>
      </div>
    </Dialog>
  );
}
