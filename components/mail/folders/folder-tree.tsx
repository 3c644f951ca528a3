"use client";

import { useCallback, useState, type DragEvent } from "react";
import { Button } from "@/components/ui/button";
import { Icon } from "@/components/ui/icon";
import { lazyInBrowser } from "@/components/ui/lazy-in-browser";
import type { Folder, FolderRole } from "@/lib/mail/types";
import { MESSAGE_DRAG_TYPE, type MessageDragPayload } from "@/components/mail/list/message-row";

// The context menu's code loads when a folder's menu is first opened, not with the page.
const FolderMenu = lazyInBrowser(() => import("./folder-menu").then((m) => m.FolderMenu));

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

/**
 * "Projects › 2026 › Q1": the folder's label after its ancestors', walked by parentPath. Never split
 * from the path, which on some servers starts with the personal namespace's prefix ("INBOX.", RFC
 * 2342) that the user is never shown; the tree, the pickers and the dialogs all name folders so.
 */
export function folderTrail(folder: Folder, folders: Folder[] | Map<string, Folder>): string {
  const byPath = folders instanceof Map ? folders : new Map(folders.map((f) => [f.path, f]));
  const names = [folderLabel(folder)];
  let parent = folder.parentPath ? byPath.get(folder.parentPath) : undefined;
  while (parent && names.length < 20) {
    names.unshift(folderLabel(parent));
    parent = parent.parentPath ? byPath.get(parent.parentPath) : undefined;
  }
  return names.join(" › ");
}

/** Inbox and the special-use folders cannot be renamed, moved or deleted (the server refuses too). */
export function isProtectedFolder(folder: Folder): boolean {
  return folder.role !== null;
}

export type FolderCommand = "new" | "rename" | "delete" | "manage";

/** Ctrl (Windows, Linux) or Alt/Option (macOS) while dropping copies instead of moving. */
const isCopyDrag = (event: DragEvent) => event.ctrlKey || event.altKey || event.metaKey;

export function FolderTree({
  folders,
  current,
  onSelect,
  error,
  onRetry,
  onCommand,
  onDropMessages,
  outbox,
}: {
  folders: Folder[] | null;
  current: string;
  onSelect: (path: string) => void;
  error: string | null;
  onRetry: () => void;
  onCommand: (command: FolderCommand, folder: Folder | null) => void;
  onDropMessages: (destination: string, payload: MessageDragPayload, copy: boolean) => void;
  /** The Outbox link, shown while the outbox holds anything (or while it is the view). */
  outbox?: { count: number; active: boolean; onOpen: () => void };
}) {
  const byPath = new Map((folders ?? []).map((f) => [f.path, f]));
  const [menu, setMenu] = useState<{ folder: Folder; x: number; y: number } | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const currentFolder = byPath.get(current) ?? null;
  const currentProtected = !currentFolder || isProtectedFolder(currentFolder);

  function onDragOver(event: DragEvent, folder: Folder) {
    if (!event.dataTransfer.types.includes(MESSAGE_DRAG_TYPE) || folder.path === current) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = isCopyDrag(event) ? "copy" : "move";
    setDropTarget(folder.path);
  }

  function onDrop(event: DragEvent, folder: Folder) {
    setDropTarget(null);
    const raw = event.dataTransfer.getData(MESSAGE_DRAG_TYPE);
    if (!raw || folder.path === current) return;
    event.preventDefault();
    onDropMessages(folder.path, JSON.parse(raw) as MessageDragPayload, isCopyDrag(event));
  }

  return (
    <nav aria-label="Folders" className="flex h-full flex-col">
      <div className="flex-1 overflow-y-auto px-2 py-3">
        {error && (
          <div role="alert" className="px-2 text-sm text-red-700 dark:text-red-300">
            {error}{" "}
            <button type="button" className="font-semibold underline" onClick={onRetry}>
              Try again
            </button>
          </div>
        )}
        {!folders && !error && (
          <div role="status" aria-label="Loading folders" className="space-y-2 px-2">
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="h-5 animate-pulse rounded bg-slate-100 dark:bg-slate-900" />
            ))}
          </div>
        )}
        <ul className="space-y-0.5">
          {folders?.map((folder) => {
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
                    onContextMenu={(event) => {
                      event.preventDefault();
                      const box = event.currentTarget.getBoundingClientRect();
                      // From the keyboard (Shift+F10) there is no pointer position: open beside the link.
                      const fromKeyboard = event.clientX === 0 && event.clientY === 0;
                      setMenu({
                        folder,
                        x: fromKeyboard ? box.left + 24 : event.clientX,
                        y: fromKeyboard ? box.bottom : event.clientY,
                      });
                    }}
                    onDragOver={(event) => onDragOver(event, folder)}
                    onDragLeave={() => setDropTarget((t) => (t === folder.path ? null : t))}
                    onDrop={(event) => onDrop(event, folder)}
                    aria-current={active ? "page" : undefined}
                    // Named by what it shows ("Inbox 27 unread"), so that voice control users can
                    // say what they see (WCAG 2.5.3).
                    title={folderTrail(folder, byPath)}
                    className={`flex items-center gap-2 rounded-lg py-1.5 pr-2 text-sm ${
                      dropTarget === folder.path
                        ? "bg-accent-100 ring-2 ring-accent-500 dark:bg-slate-800"
                        : active
                          ? "bg-accent-100 font-semibold text-accent-700 dark:bg-slate-800 dark:text-white"
                          : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-900"
                    }`}
                    style={{ paddingLeft: `${0.5 + depth * 1}rem` }}
                  >
                    <Icon
                      name={folder.role ?? "folder"}
                      className="h-4 w-4 text-slate-600 dark:text-slate-400"
                    />
                    <span data-folder-name className="flex-1 truncate">
                      {label}
                    </span>{" "}
                    {folder.unread > 0 && (
                      <span className="text-xs font-semibold text-accent-700 tabular-nums dark:text-accent-100">
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
                    <Icon name="folder" className="h-4 w-4" />
                    {label}
                  </span>
                )}
              </li>
            );
          })}
          {outbox && (outbox.count > 0 || outbox.active) && (
            <li>
              <a
                href="/mail?outbox="
                onClick={(event) => {
                  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  outbox.onOpen();
                }}
                aria-current={outbox.active ? "page" : undefined}
                className={`flex items-center gap-2 rounded-lg py-1.5 pr-2 pl-2 text-sm ${
                  outbox.active
                    ? "bg-accent-100 font-semibold text-accent-700 dark:bg-slate-800 dark:text-white"
                    : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-900"
                }`}
              >
                <Icon name="outbox" className="h-4 w-4 text-slate-600 dark:text-slate-400" />
                <span className="flex-1 truncate">Outbox</span>{" "}
                {outbox.count > 0 && (
                  <span className="text-xs font-semibold text-accent-700 tabular-nums dark:text-accent-100">
                    {outbox.count}
                    <span className="sr-only"> waiting</span>
                  </span>
                )}
              </a>
            </li>
          )}
        </ul>
      </div>
      <div className="flex flex-wrap gap-1 border-t border-slate-200 p-2 dark:border-slate-800">
        <Button variant="ghost" className="px-2 text-xs" onClick={() => onCommand("new", null)}>
          New folder
        </Button>
        <Button
          variant="ghost"
          className="px-2 text-xs"
          disabled={currentProtected}
          onClick={() => onCommand("rename", currentFolder)}
        >
          Rename folder
        </Button>
        <Button
          variant="ghost"
          className="px-2 text-xs"
          disabled={currentProtected}
          onClick={() => onCommand("delete", currentFolder)}
        >
          Delete folder
        </Button>
        <Button variant="ghost" className="px-2 text-xs" onClick={() => onCommand("manage", null)}>
          Manage folders
        </Button>
      </div>
      {menu && (
        <FolderMenu
          label={`Folder ${folderLabel(menu.folder)}`}
          position={{ x: menu.x, y: menu.y }}
          onClose={closeMenu}
          items={[
            { label: "New folder", onSelect: () => onCommand("new", menu.folder) },
            {
              label: "Rename folder",
              disabled: isProtectedFolder(menu.folder),
              onSelect: () => onCommand("rename", menu.folder),
            },
            {
              label: "Delete folder",
              disabled: isProtectedFolder(menu.folder),
              onSelect: () => onCommand("delete", menu.folder),
            },
          ]}
        />
      )}
    </nav>
  );
}
