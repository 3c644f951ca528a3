import type { MessagePage, MessageSummary } from "@/lib/mail/types";

/**
 * Rows and pages for the data layer's unit tests (imported by tests only): a read message "m<uid>"
 * of 2026-01-01 with no sender, unless `extra` says otherwise.
 */
export const testRow = (uid: number, extra: Partial<MessageSummary> = {}): MessageSummary => ({
  uid,
  flags: { seen: true, flagged: false, answered: false, draft: false },
  from: [],
  to: [],
  subject: `m${uid}`,
  date: "2026-01-01T00:00:00Z",
  size: 1,
  hasAttachments: false,
  preview: null,
  ...extra,
});

/** An unread row when `seen` is false. */
export const testRowSeen = (uid: number, seen: boolean): MessageSummary => testRow(uid, { flags: { seen, flagged: false, answered: false, draft: false } });

/** Page 0 of a folder's list by date, newest first, holding `messages`, unless `extra` says otherwise. */
export const testPage = (folder: string, uidValidity: string, messages: MessageSummary[], extra: Partial<MessagePage> = {}): MessagePage => ({
  folder,
  uidValidity,
  total: messages.length,
  page: 0,
  pageSize: 50,
  sort: "date",
  order: "desc",
  messages,
  ...extra,
});
