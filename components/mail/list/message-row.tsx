"use client";

import { memo, type DragEvent, type MouseEvent } from "react";
import type { Density, MessageSummary } from "@/lib/mail/types";
import { displayAddress } from "@/components/mail/format";
import { ListDate } from "./list-date";
import { Avatar } from "@/components/mail/avatar";
import { Icon } from "@/components/ui/icon";

/** The drag payload type for messages dropped on a folder of the tree. */
export const MESSAGE_DRAG_TYPE = "application/x-letterbox-messages";

export interface MessageDragPayload {
  folder: string;
  uidValidity: string;
  uids: number[];
  allInFolder: boolean;
}

/** Pixels per row: compact fits at least 14 rows in the list at 1440×900. */
export const ROW_HEIGHT: Record<Density, number> = { comfortable: 76, compact: 48 };

export function RowSkeleton({ density }: { density: Density }) {
  return (
    <div
      aria-hidden="true"
      className="flex items-center gap-3 border-b border-slate-100 px-4 dark:border-slate-900"
      style={{ height: ROW_HEIGHT[density] }}
    >
      {density === "comfortable" && <div className="h-9 w-9 shrink-0 animate-pulse rounded-full bg-slate-200 dark:bg-slate-800" />}
      <div className="flex flex-1 flex-col gap-2">
        <div className="h-3 w-1/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
        <div className="h-3 w-2/3 animate-pulse rounded bg-slate-100 dark:bg-slate-900" />
      </div>
    </div>
  );
}

/**
 * One row of the list. Memoized, with handlers that take the row, so opening a message (which
 * re-renders the list for the row it marks open) re-renders two rows, not every row on screen: that
 * work stood between the click and the body's request.
 */
export const MessageRow = memo(function MessageRow({
  row,
  density,
  open,
  checked,
  onClick,
  onToggle,
  onDragStart,
  selectable = true,
  folderLabel = null,
  first = false,
}: {
  row: MessageSummary;
  density: Density;
  open: boolean;
  checked: boolean;
  onClick: (event: MouseEvent<HTMLButtonElement>, row: MessageSummary) => void;
  onToggle: (row: MessageSummary, shiftKey: boolean) => void;
  onDragStart: (event: DragEvent<HTMLElement>, row: MessageSummary) => void;
  /** False where rows cannot be ticked one by one (in:anywhere results). */
  selectable?: boolean;
  /** The row's folder, named where the list mixes folders (in:anywhere results). */
  folderLabel?: string | null;
  /**
   * The list's first row: its subject is marked for the browser's Element Timing, which tells when
   * it was on screen (`npm run bench` reads it: navigation to the first row painted).
   */
  first?: boolean;
}) {
  const sender = row.from[0] ? displayAddress(row.from[0]) : "(no sender)";
  // A conversation names who took part (first names when several did) and how many messages it has.
  const count = row.conversation?.uids.length ?? 1;
  const people = row.conversation?.participants ?? [];
  const participants =
    people.length > 1 ? people.map((a) => displayAddress(a).split(/\s+/)[0]).join(", ") : people[0] ? displayAddress(people[0]) : sender;
  const flags = row.flags;
  const unread = !flags.seen;
  const subject = row.subject || "(no subject)";
  const compact = density === "compact";
  const muted = "text-slate-600 dark:text-slate-400";
  return (
    <div
      draggable={selectable}
      onDragStart={(event) => onDragStart(event, row)}
      data-uid={row.uid}
      className={`flex h-full w-full items-stretch border-b border-slate-100 dark:border-slate-900 ${
        checked ? "bg-accent-100 dark:bg-slate-800" : open ? "bg-accent-50 dark:bg-slate-800/70" : "hover:bg-slate-50 dark:hover:bg-slate-900"
      }`}
    >
      {selectable ? (
        <label className="flex shrink-0 cursor-pointer items-center pr-1 pl-3">
          <input
            type="checkbox"
            className="h-4 w-4"
            checked={checked}
            aria-label={`Select “${subject}” from ${sender}`}
            // React handles a checkbox's change on its click event: Shift there extends a range, as it
            // does on the row. No preventDefault: on a controlled box it leaves the old state drawn.
            onChange={(event) => onToggle(row, (event.nativeEvent as { shiftKey?: boolean }).shiftKey === true)}
          />
        </label>
      ) : (
        <span className="w-2 shrink-0" aria-hidden="true" />
      )}
      <button
        type="button"
        onClick={(event) => onClick(event, row)}
        aria-current={open ? "true" : undefined}
        className="flex min-w-0 flex-1 items-center gap-3 pr-4 pl-2 text-left"
      >
        {!compact && <Avatar address={row.from[0]} />}
        <span className="flex min-w-0 flex-1 flex-col justify-center gap-0.5">
          <span className="flex w-full items-center gap-2">
            {unread ? (
              <span className="h-2 w-2 shrink-0 rounded-full bg-accent-600 dark:bg-accent-500">
                <span className="sr-only">Unread, </span>
              </span>
            ) : (
              compact && <span className="w-2 shrink-0" aria-hidden="true" />
            )}
            <span className={`flex-1 truncate text-sm ${unread ? "font-semibold" : "text-slate-700 dark:text-slate-300"}`}>
              {participants}
              {count > 1 && (
                <span className={`ml-1.5 text-xs font-normal ${muted}`}>
                  <span className="sr-only">, </span>
                  {count}
                  <span className="sr-only"> messages</span>
                </span>
              )}
            </span>
            {folderLabel && (
              <span className="max-w-[40%] shrink truncate rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                <span className="sr-only">, in folder </span>
                {folderLabel}
              </span>
            )}
            {flags.flagged && (
              <span className="text-amber-600 dark:text-amber-400" title="Flagged">
                <Icon name="star" className="h-4 w-4 fill-current" />
                <span className="sr-only">, flagged</span>
              </span>
            )}
            {row.hasAttachments && (
              <span className={muted} title="Has attachments">
                <Icon name="clip" className="h-4 w-4" />
                <span className="sr-only">, has attachments</span>
              </span>
            )}
            <ListDate iso={row.date} className={`shrink-0 text-xs tabular-nums ${unread ? "font-semibold text-slate-900 dark:text-slate-100" : muted}`} />
          </span>
          <span
            className={`w-full truncate text-sm ${compact ? "pl-4" : ""} ${unread ? "font-medium" : "text-slate-700 dark:text-slate-300"}`}
            {...(first ? { elementtiming: "first-row" } : {})}
          >
            <span className="sr-only">, </span>
            {subject}
            {compact && row.preview && <span className={`font-normal ${muted}`}> — {row.preview}</span>}
          </span>
          {!compact && row.preview && (
            <span className={`w-full truncate text-xs ${muted}`}>
              <span className="sr-only">, </span>
              {row.preview}
            </span>
          )}
        </span>
      </button>
    </div>
  );
});
