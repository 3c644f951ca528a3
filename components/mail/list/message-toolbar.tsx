"use client";

import { useEffect, useRef } from "react";
import { Icon } from "@/components/ui/icon";
import { IconButton } from "@/components/ui/icon-button";
import { Menu } from "@/components/ui/menu";
import type { FolderRole } from "@/lib/mail/types";
import type { BatchProgress } from "@/components/mail/data/use-message-actions";

export type ToolbarCommand =
  | "markRead"
  | "markUnread"
  | "flag"
  | "unflag"
  | "move"
  | "copy"
  | "archive"
  | "junk"
  | "delete"
  | "emptyTrash";

/**
 * Actions on the selection (or, with nothing selected, on the open message) on one line at every
 * width: icon buttons named by their tooltips, toggles for read and flagged, the rarer actions under
 * "More actions"; "Select all" with the offer to extend to the whole folder, and the progress of a
 * batched whole-folder action.
 *
 * On a phone (below md) the bar sits at the bottom of the list, where a thumb reaches it: CSS order
 * only (the list's column is a flex column the height of the screen), so it costs the first visit no
 * JavaScript, and the names, the DOM and the keyboard order stay those of the desktop toolbar. It
 * keeps clear of the home indicator (env(safe-area-inset-bottom), with viewport-fit=cover).
 */
export function MessageToolbar({
  targetCount,
  selectedCount,
  loadedCount,
  folderTotal,
  allInFolder,
  folderLabel,
  role,
  progress,
  state,
  onSelectAll,
  onSelectWholeFolder,
  onClearSelection,
  onCommand,
}: {
  /** Messages the buttons act on: the selection, else the open message (1), else 0. */
  targetCount: number;
  selectedCount: number;
  loadedCount: number;
  folderTotal: number;
  allInFolder: boolean;
  folderLabel: string;
  role: FolderRole | null;
  progress: BatchProgress | null;
  /** What the targets are now: the Read and Flag buttons offer the change that does something. */
  state: { allSeen: boolean; allFlagged: boolean };
  onSelectAll: (checked: boolean) => void;
  onSelectWholeFolder: () => void;
  onClearSelection: () => void;
  onCommand: (command: ToolbarCommand) => void;
}) {
  const selectAllRef = useRef<HTMLInputElement>(null);
  const allLoaded = loadedCount > 0 && selectedCount >= loadedCount;
  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = !allInFolder && selectedCount > 0 && !allLoaded;
  }, [allInFolder, selectedCount, allLoaded]);
  const none = targetCount === 0 || progress !== null;
  const inTrash = role === "trash";
  const icon = "h-[18px] w-[18px]";

  return (
    <div
      className="border-slate-200 max-md:order-last max-md:border-t max-md:pb-[env(safe-area-inset-bottom)] md:border-b dark:border-slate-800"
    >
      <div role="toolbar" aria-label="Message actions" className="flex items-center gap-0.5 py-1 pr-2 pl-3">
        <label className="mr-auto flex min-w-0 items-center gap-2 text-xs whitespace-nowrap text-slate-700 dark:text-slate-300">
          <input
            ref={selectAllRef}
            type="checkbox"
            className="h-4 w-4"
            checked={allInFolder || allLoaded}
            disabled={loadedCount === 0}
            onChange={(e) => onSelectAll(e.target.checked)}
            aria-label="Select all"
          />
          <span aria-hidden={selectedCount === 0 && !allInFolder ? true : undefined}>
            {selectedCount > 0 || allInFolder ? `${(allInFolder ? folderTotal : selectedCount).toLocaleString()} selected` : "Select all"}
          </span>
        </label>
        {role !== "archive" && (
          <IconButton label="Archive" disabled={none} onClick={() => onCommand("archive")} icon={<Icon name="archiveBox" className={icon} />} />
        )}
        <IconButton
          label={inTrash ? "Delete permanently" : "Delete"}
          disabled={none}
          onClick={() => onCommand("delete")}
          icon={<Icon name="trash2" className={icon} />}
        />
        {state.allSeen ? (
          <IconButton label="Mark as unread" disabled={none} onClick={() => onCommand("markUnread")} icon={<Icon name="mail" className={icon} />} />
        ) : (
          <IconButton label="Mark as read" disabled={none} onClick={() => onCommand("markRead")} icon={<Icon name="mailOpen" className={icon} />} />
        )}
        {state.allFlagged ? (
          <IconButton label="Unflag" disabled={none} onClick={() => onCommand("unflag")} icon={<Icon name="starOff" className={icon} />} />
        ) : (
          <IconButton label="Flag" disabled={none} onClick={() => onCommand("flag")} icon={<Icon name="star" className={icon} />} />
        )}
        <IconButton label="Move to…" disabled={none} onClick={() => onCommand("move")} icon={<Icon name="folderInput" className={icon} />} />
        <Menu
          label="More actions"
          trigger={<IconButton label="More actions" icon={<Icon name="more" className={icon} />} />}
          entries={[
            { kind: "item", label: "Copy to…", disabled: none, onSelect: () => onCommand("copy") },
            ...(role !== "junk" ? [{ kind: "item" as const, label: "Junk", disabled: none, onSelect: () => onCommand("junk") }] : []),
            ...(inTrash
              ? [{ kind: "item" as const, label: "Empty Trash", disabled: progress !== null || folderTotal === 0, onSelect: () => onCommand("emptyTrash") }]
              : []),
          ]}
        />
      </div>
      {allLoaded && !allInFolder && folderTotal > loadedCount && (
        <p className="bg-accent-50 px-4 py-1.5 text-xs dark:bg-slate-900">
          All {loadedCount.toLocaleString()} loaded messages are selected.{" "}
          <button type="button" className="font-semibold underline" onClick={onSelectWholeFolder}>
            Select all {folderTotal.toLocaleString()} messages in {folderLabel}
          </button>
        </p>
      )}
      {allInFolder && (
        <p className="bg-accent-50 px-4 py-1.5 text-xs dark:bg-slate-900">
          All {folderTotal.toLocaleString()} messages in {folderLabel} are selected.{" "}
          <button type="button" className="font-semibold underline" onClick={onClearSelection}>
            Clear selection
          </button>
        </p>
      )}
      {progress && (
        <div role="status" aria-label="Progress" className="flex items-center gap-3 px-4 py-1.5 text-xs">
          <span>
            {progress.label}
            {progress.total > 0 && ` ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}`}
          </span>
          {progress.total > 0 && (
            <progress aria-label={progress.label} className="h-2 flex-1" value={progress.done} max={progress.total} />
          )}
        </div>
      )}
    </div>
  );
}
