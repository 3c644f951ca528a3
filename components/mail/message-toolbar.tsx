"use client";

import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import type { FolderRole } from "@/lib/mail/types";
import type { BatchProgress } from "./use-message-actions";

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
 * Actions on the selection (or, with nothing selected, on the open message), "Select all" with the
 * offer to extend to the whole folder, and the progress of a batched whole-folder action.
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

  return (
    <div className="border-b border-slate-200 dark:border-slate-800">
      <div role="toolbar" aria-label="Message actions" className="flex flex-wrap items-center gap-1 px-3 py-1.5">
        <label className="mr-1 flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400">
          <input
            ref={selectAllRef}
            type="checkbox"
            checked={allInFolder || allLoaded}
            disabled={loadedCount === 0}
            onChange={(e) => onSelectAll(e.target.checked)}
            aria-label="Select all"
          />
          {selectedCount > 0 || allInFolder ? `${(allInFolder ? folderTotal : selectedCount).toLocaleString()} selected` : "Select all"}
        </label>
        <Button variant="ghost" className="px-2 text-xs" disabled={none} onClick={() => onCommand("markRead")}>
          Mark as read
        </Button>
        <Button variant="ghost" className="px-2 text-xs" disabled={none} onClick={() => onCommand("markUnread")}>
          Mark as unread
        </Button>
        <Button variant="ghost" className="px-2 text-xs" disabled={none} onClick={() => onCommand("flag")}>
          Flag
        </Button>
        <Button variant="ghost" className="px-2 text-xs" disabled={none} onClick={() => onCommand("unflag")}>
          Unflag
        </Button>
        <Button variant="ghost" className="px-2 text-xs" disabled={none} onClick={() => onCommand("move")}>
          Move to…
        </Button>
        <Button variant="ghost" className="px-2 text-xs" disabled={none} onClick={() => onCommand("copy")}>
          Copy to…
        </Button>
        {role !== "archive" && (
          <Button variant="ghost" className="px-2 text-xs" disabled={none} onClick={() => onCommand("archive")}>
            Archive
          </Button>
        )}
        {role !== "junk" && (
          <Button variant="ghost" className="px-2 text-xs" disabled={none} onClick={() => onCommand("junk")}>
            Junk
          </Button>
        )}
        <Button variant="ghost" className="px-2 text-xs" disabled={none} onClick={() => onCommand("delete")}>
          {inTrash ? "Delete permanently" : "Delete"}
        </Button>
        {inTrash && (
          <Button variant="ghost" className="px-2 text-xs text-red-700" disabled={progress !== null || folderTotal === 0} onClick={() => onCommand("emptyTrash")}>
            Empty Trash
          </Button>
        )}
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

/** On narrow screens the list (and its toolbar) is hidden while a message is open: these act on it. */
export function ReaderActions({ onCommand }: { onCommand: (command: "archive" | "delete" | "move") => void }) {
  return (
    <div role="toolbar" aria-label="Actions for this message" className="flex gap-1 border-b border-slate-200 px-3 py-1.5 lg:hidden dark:border-slate-800">
      <Button variant="ghost" className="px-2 text-xs" onClick={() => onCommand("archive")}>
        Archive
      </Button>
      <Button variant="ghost" className="px-2 text-xs" onClick={() => onCommand("delete")}>
        Delete
      </Button>
      <Button variant="ghost" className="px-2 text-xs" onClick={() => onCommand("move")}>
        Move to…
      </Button>
    </div>
  );
}
