"use client";

import { Icon } from "@/components/ui/icon";
import type { Folder, FolderRole } from "@/lib/mail/types";

const ROLE_LABEL: Record<FolderRole, string> = {
  inbox: "Inbox",
  drafts: "Drafts",
  sent: "Sent",
  archive: "Archive",
  junk: "Junk",
  trash: "Trash",
};

function depthOf(folder: Folder, byPath: Map<string, Folder>): number {
  let depth = 0;
  let parent = folder.parentPath;
  while (parent && byPath.has(parent) && depth < 20) {
    depth += 1;
    parent = byPath.get(parent)?.parentPath ?? null;
  }
  return depth;
}

export function folderLabel(folder: Folder): string {
  return folder.role && folder.parentPath === null ? ROLE_LABEL[folder.role] : folder.name;
}

export function FolderTree({
  folders,
  current,
  onSelect,
  error,
}: {
  folders: Folder[] | null;
  current: string;
  onSelect: (path: string) => void;
  error: string | null;
}) {
  const byPath = new Map((folders ?? []).map((f) => [f.path, f]));
  return (
    <nav aria-label="Folders" className="h-full overflow-y-auto px-2 py-3">
      {error && (
        <p role="alert" className="px-2 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      {!folders && !error && <p className="px-2 text-sm text-slate-500">Loading folders…</p>}
      <ul className="space-y-0.5">
        {folders?.map((folder, index) => {
          const unreadId = `folder-unread-${index}`;
          const label = folderLabel(folder);
          const active = folder.path === current;
          const depth = depthOf(folder, byPath);
          return (
            <li key={folder.path}>
              {folder.selectable ? (
                <a
                  href={`/mail?${new URLSearchParams({ folder: folder.path })}`}
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                    event.preventDefault();
                    onSelect(folder.path);
                  }}
                  aria-current={active ? "page" : undefined}
                  // The link is named by the folder alone; the count is its description.
                  aria-label={label}
                  aria-describedby={folder.unread > 0 ? unreadId : undefined}
                  title={folder.path}
                  className={`flex items-center gap-2 rounded-lg py-1.5 pr-2 text-sm ${
                    active
                      ? "bg-accent-100 font-semibold text-accent-700 dark:bg-slate-800 dark:text-white"
                      : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-900"
                  }`}
                  style={{ paddingLeft: `${0.5 + depth * 1}rem` }}
                >
                  <Icon name={folder.role ?? "folder"} className="h-4 w-4 text-slate-500 dark:text-slate-400" />
                  <span className="flex-1 truncate">{label}</span>
                  {folder.unread > 0 && (
                    <span
                      id={unreadId}
                      className="text-xs font-semibold tabular-nums text-accent-700 dark:text-accent-100"
                    >
                      {folder.unread}
                      <span className="sr-only"> unread</span>
                    </span>
                  )}
                </a>
              ) : (
                <span
                  className="flex items-center gap-2 py-1.5 pr-2 text-sm text-slate-500"
                  style={{ paddingLeft: `${0.5 + depth * 1}rem` }}
                >
                  <span aria-hidden="true" className="w-5 text-center">
                    📁
                  </span>
                  {label}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
