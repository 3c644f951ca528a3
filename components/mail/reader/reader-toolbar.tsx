"use client";

import type { ReactNode } from "react";
import { Archive, ArrowLeft, FolderInput, Forward, Mail, Reply, ReplyAll, Trash2 } from "lucide-react";
import { IconButton } from "@/components/ui/icon-button";
import { openComposer } from "@/components/mail/composer/compose-event";
import type { MessageRefData } from "@/lib/mail/types";

export type OrganizeCommand = "archive" | "delete" | "move";

export const TOOLBAR_ICON = "h-[18px] w-[18px]";

/**
 * The reader's one toolbar, the same for a message and a conversation (names the tests and the
 * keyboard rely on): back on narrow screens, reply, reply all, forward, then archive, delete, move
 * and mark unread; `children` adds what only one reader has. On a phone it is a bar at the bottom,
 * in the thumb's reach, and the subject comes first under the header — CSS order only, so the
 * names and the keyboard order stay the same.
 */
export function ReaderToolbar({
  label,
  replyTo,
  ready,
  canArchive,
  onBack,
  onOrganize,
  onMarkUnread,
  children,
}: {
  label: string;
  /** The message Reply, Reply all and Forward answer; null while there is none yet. */
  replyTo: MessageRefData | null;
  /** Whether the shown item has loaded (mark unread needs it). */
  ready: boolean;
  canArchive: boolean;
  onBack: () => void;
  /** Absent while the item is not known yet: the organizing buttons are then disabled. */
  onOrganize: ((command: OrganizeCommand) => void) | null;
  onMarkUnread: () => void;
  children?: ReactNode;
}) {
  const reply = (mode: "reply" | "replyAll" | "forward") => replyTo && openComposer({ mode, ...replyTo });
  return (
    <div
      role="toolbar"
      aria-label={label}
      className="flex items-center gap-0.5 overflow-x-auto border-slate-200 px-2 py-1 max-md:order-last max-md:border-t max-md:pb-[max(0.25rem,env(safe-area-inset-bottom))] md:border-b dark:border-slate-800"
    >
      <IconButton className="lg:hidden" label="Back to list" onClick={onBack} icon={<ArrowLeft aria-hidden="true" className={TOOLBAR_ICON} />} />
      <IconButton label="Reply" disabled={!replyTo} onClick={() => reply("reply")} icon={<Reply aria-hidden="true" className={TOOLBAR_ICON} />} />
      <IconButton label="Reply all" disabled={!replyTo} onClick={() => reply("replyAll")} icon={<ReplyAll aria-hidden="true" className={TOOLBAR_ICON} />} />
      <IconButton label="Forward" disabled={!replyTo} onClick={() => reply("forward")} icon={<Forward aria-hidden="true" className={TOOLBAR_ICON} />} />
      <span className="mx-1 h-5 w-px shrink-0 bg-slate-200 dark:bg-slate-700" aria-hidden="true" />
      {canArchive && <IconButton label="Archive" disabled={!onOrganize} onClick={() => onOrganize?.("archive")} icon={<Archive aria-hidden="true" className={TOOLBAR_ICON} />} />}
      <IconButton label="Delete" disabled={!onOrganize} onClick={() => onOrganize?.("delete")} icon={<Trash2 aria-hidden="true" className={TOOLBAR_ICON} />} />
      <IconButton label="Move to…" disabled={!onOrganize} onClick={() => onOrganize?.("move")} icon={<FolderInput aria-hidden="true" className={TOOLBAR_ICON} />} />
      <IconButton label="Mark as unread" disabled={!ready} onClick={onMarkUnread} icon={<Mail aria-hidden="true" className={TOOLBAR_ICON} />} />
      {children}
    </div>
  );
}
