"use client";

import { useEffect, useId, useState } from "react";
import { api } from "@/components/mail/data/api-client";
import type { Folder } from "@/lib/mail/types";
import { NEW, UNSUITABLE, type FolderChoice } from "./pop3-folder-choice";

const inputClass =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

/** The user's folders that fetched mail may go to; [] (only "New folder") when they cannot be read. */
export function useDestinationFolders(): { folders: Folder[] | null; failed: boolean } {
  const [state, setState] = useState<{ folders: Folder[] | null; failed: boolean }>({ folders: null, failed: false });
  useEffect(() => {
    let live = true;
    api.folders().then(
      (list) => live && setState({ folders: list.filter((f) => f.selectable && !UNSUITABLE.has(f.role)), failed: false }),
      () => live && setState({ folders: [], failed: true }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

function optionLabel(folder: Folder): string {
  if (folder.path === "INBOX") return "Inbox";
  return folder.parentPath ? folder.path.split(folder.delimiter).join(" › ") : folder.name;
}

/** "Folder": one of the mailbox's folders, or "New folder" with its name beside it. */
export function Pop3FolderField({
  choice,
  onChange,
  folders,
  failed,
  defaultName,
}: {
  /** Resolved (resolveChoice). */
  choice: FolderChoice;
  onChange: (choice: FolderChoice) => void;
  folders: Folder[] | null;
  failed: boolean;
  defaultName: string;
}) {
  const id = useId();
  const isNew = choice.selected === NEW;
  return (
    <div className="space-y-3">
      <div>
        <label htmlFor={`${id}-folder`} className="block text-sm font-medium">
          Folder
        </label>
        <select
          id={`${id}-folder`}
          className={inputClass}
          value={choice.selected}
          onChange={(e) => onChange({ selected: e.target.value, typedName: choice.typedName })}
          aria-describedby={`${id}-folder-hint`}
        >
          <option value={NEW}>New folder</option>
          {folders && folders.length > 0 ? (
            <optgroup label="Existing folders">
              {folders.map((f) => (
                <option key={f.path} value={f.path}>
                  {optionLabel(f)}
                </option>
              ))}
            </optgroup>
          ) : null}
          {/* Until the folders are in, the saved one is offered as it is. */}
          {folders === null && !isNew ? <option value={choice.selected}>{choice.selected}</option> : null}
        </select>
        <p id={`${id}-folder-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {failed
            ? "Your folders could not be loaded; a new folder can still be created."
            : isNew
              ? "Saving creates the folder in your mailbox."
              : "Fetched mail is filed here, unread."}
        </p>
      </div>
      {isNew ? (
        <label className="block text-sm font-medium">
          New folder name
          <input
            className={inputClass}
            value={choice.typedName ?? defaultName}
            onChange={(e) => onChange({ selected: NEW, typedName: e.target.value })}
            autoComplete="off"
            required
          />
        </label>
      ) : null}
    </div>
  );
}
