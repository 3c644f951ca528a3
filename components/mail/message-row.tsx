"use client";

import type { DragEvent, MouseEvent } from "react";
import { Icon } from "@/components/ui/icon";
import type { MessageFlags, MessageSummary } from "@/lib/mail/types";
import { displayAddress, formatListDate } from "./format";

/** The drag payload type for messages dropped on a folder of the tree. */
export const MESSAGE_DRAG_TYPE = "application/x-letterbox-messages";

export interface MessageDragPayload {
  folder: string;
  uidValidity: string;
  uids: number[];
  allInFolder: boolean;
}

export function MessageRow({
  row,
  flags,
  open,
  checked,
  onClick,
  onToggle,
  onDragStart,
}: {
  row: MessageSummary;
  flags: MessageFlags;
  open: boolean;
  checked: boolean;
  onClick: (event: MouseEvent<HTMLButtonElement>) => void;
  onToggle: (shiftKey: boolean) => void;
  onDragStart: (event: DragEvent<HTMLElement>) => void;
}) {
  const sender = row.from[0] ? displayAddress(row.from[0]) : "(no sender)";
  const unread = !flags.seen;
  const subject = row.subject || "(no subject)";
  return (
    <div
      draggable
      onDragStart={onDragStart}
      data-uid={row.uid}
      className={`flex h-full w-full items-stretch border-b border-slate-100 dark:border-slate-900 ${
        checked ? "bg-accent-100 dark:bg-slate-800" : open ? "bg-accent-50 dark:bg-slate-800" : "hover:bg-slate-50 dark:hover:bg-slate-900"
      }`}
    >
      <label className="flex shrink-0 cursor-pointer items-center pl-3 pr-1">
        <input
          type="checkbox"
          className="h-4 w-4"
          checked={checked}
          aria-label={`Select “${subject}” from ${sender}`}
          // Shift on the checkbox extends a range, as it does on the row.
          onClick={(event) => {
            event.preventDefault();
            onToggle(event.shiftKey);
          }}
          onChange={() => undefined}
        />
      </label>
      <button
        type="button"
        onClick={onClick}
        aria-current={open ? "true" : undefined}
        className="flex min-w-0 flex-1 flex-col justify-center gap-0.5 pr-4 pl-2 text-left"
      >
        <span className="flex w-full items-center gap-2">
          {unread ? (
            <span className="h-2 w-2 shrink-0 rounded-full bg-accent-500">
              <span className="sr-only">Unread, </span>
            </span>
          ) : (
            <span className="w-2 shrink-0" aria-hidden="true" />
          )}
          <span className={`flex-1 truncate text-sm ${unread ? "font-semibold" : "text-slate-700 dark:text-slate-300"}`}>{sender}</span>
          {flags.flagged && (
            <span className="text-amber-500" title="Flagged">
              <span aria-hidden="true">★</span>
              <span className="sr-only">, flagged</span>
            </span>
          )}
          {row.hasAttachments && (
            <span className="text-slate-500" title="Has attachments">
              <Icon name="paperclip" className="inline h-4 w-4" />
              <span className="sr-only">, has attachments</span>
            </span>
          )}
          <time dateTime={row.date} className="shrink-0 text-xs text-slate-500 tabular-nums">
            <span className="sr-only">, </span>
            {formatListDate(row.date)}
          </time>
        </span>
        <span className={`w-full truncate pl-4 text-sm ${unread ? "font-medium" : "text-slate-600 dark:text-slate-400"}`}>
          <span className="sr-only">, </span>
          {subject}
        </span>
      </button>
    </div>
  );
}
