import type { Folder, MessageFlags, MessagePage, MessageSummary } from "@/lib/mail/types";

// Pure changes to cached data, applied at once when the user acts and rolled back if the server
// refuses. Kept free of React and of the query client so that the rules are unit-tested.
// A conversation row (row.conversation) stands for several messages: it leaves when all of them
// (or its newest, which is its uid) leave, and its flags follow its members.

/** The UIDs a row stands for: its conversation's messages, or itself. */
export function uidsOfRow(row: MessageSummary): number[] {
  return row.conversation?.uids ?? [row.uid];
}

/** A conversation row without some of its members: the same row when none of them is among them. */
function withoutMembers(row: MessageSummary, uids: ReadonlySet<number>): MessageSummary {
  const c = row.conversation;
  if (!c || !c.uids.some((u) => uids.has(u))) return row;
  const unreadUids = c.unreadUids.filter((u) => !uids.has(u));
  return { ...row, flags: { ...row.flags, seen: unreadUids.length === 0 }, conversation: { ...c, uids: c.uids.filter((u) => !uids.has(u)), unreadUids } };
}

/** Whether a row leaves the list when the given messages leave the folder. */
function rowLeaves(row: MessageSummary, uids: ReadonlySet<number>): boolean {
  return uids.has(row.uid) || uidsOfRow(row).every((u) => uids.has(u));
}

/**
 * A list page without the given messages; the total shrinks by the number that left the source:
 * messages for a message list, conversations (`removedRows`) for a conversation list.
 */
export function withoutMessages(page: MessagePage, uids: ReadonlySet<number>, removedFromSource: number, removedRows = removedFromSource): MessagePage {
  const messages = page.messages.filter((m) => !rowLeaves(m, uids)).map((m) => withoutMembers(m, uids));
  return { ...page, messages, total: Math.max(0, page.total - (page.conversations ? removedRows : removedFromSource)) };
}

/** How many rows of these pages leave when the given messages do, each row counted once. */
export function leavingRows(pages: readonly (MessagePage | undefined)[], uids: ReadonlySet<number>): number {
  const leaving = new Set<number>();
  for (const page of pages) for (const m of page?.messages ?? []) if (rowLeaves(m, uids)) leaving.add(m.uid);
  return leaving.size;
}

function withRowFlags(row: MessageSummary, uids: ReadonlySet<number>, change: Partial<MessageFlags>): MessageSummary {
  const c = row.conversation;
  if (!c) return { ...row, flags: { ...row.flags, ...change } };
  const members = c.uids.filter((u) => uids.has(u));
  let unreadUids = c.unreadUids;
  if (change.seen === true) unreadUids = unreadUids.filter((u) => !uids.has(u));
  if (change.seen === false) unreadUids = [...new Set([...unreadUids, ...members])];
  const flags = { ...row.flags, seen: unreadUids.length === 0 };
  // Flagged if any is: flagging one flags the row; unflagging all of them unflags it.
  if (change.flagged === true) flags.flagged = true;
  if (change.flagged === false && members.length === c.uids.length) flags.flagged = false;
  return { ...row, flags, conversation: { ...c, unreadUids } };
}

/**
 * A page of in:anywhere results (rows from several folders, each naming its own) without the given
 * messages of one folder; other pages come back unchanged.
 */
export function withoutMessagesOf(page: MessagePage, folder: string, uids: ReadonlySet<number>): MessagePage {
  const leaving = (m: MessagePage["messages"][number]) => m.folder === folder && uids.has(m.uid);
  const removed = page.messages.filter(leaving).length;
  if (removed === 0) return page;
  return { ...page, messages: page.messages.filter((m) => !leaving(m)), total: Math.max(0, page.total - removed) };
}

/** In:anywhere results with flags changed on the given messages of one folder. */
export function withFlagsOf(page: MessagePage, folder: string, uids: ReadonlySet<number>, change: Partial<MessageFlags>): MessagePage {
  const hit = (m: MessagePage["messages"][number]) => m.folder === folder && uids.has(m.uid);
  if (!page.messages.some(hit)) return page;
  return { ...page, messages: page.messages.map((m) => (hit(m) ? { ...m, flags: { ...m.flags, ...change } } : m)) };
}

/** A list page with flags changed on the given messages; the same object when none of them is on it. */
export function withFlags(page: MessagePage, uids: ReadonlySet<number>, change: Partial<MessageFlags>): MessagePage {
  const touched = (m: MessageSummary) => uidsOfRow(m).some((u) => uids.has(u));
  if (!page.messages.some(touched)) return page;
  return { ...page, messages: page.messages.map((m) => (touched(m) ? withRowFlags(m, uids, change) : m)) };
}

/** The given messages the cached pages know, and which of them are unread, each counted once. */
export function knownAmong(pages: readonly (MessagePage | undefined)[], uids: ReadonlySet<number>): { known: number; unread: number } {
  const known = new Map<number, boolean>();
  for (const page of pages) {
    for (const m of page?.messages ?? []) {
      if (m.conversation) {
        const unread = new Set(m.conversation.unreadUids);
        for (const u of m.conversation.uids) if (uids.has(u) && !known.has(u)) known.set(u, unread.has(u));
      } else if (uids.has(m.uid) && !known.has(m.uid)) known.set(m.uid, !m.flags.seen);
    }
  }
  return { known: known.size, unread: [...known.values()].filter(Boolean).length };
}

/** How many of the given messages the cached pages know as unread: what a folder's count loses. */
export function unreadAmong(pages: readonly (MessagePage | undefined)[], uids: ReadonlySet<number>): number {
  return knownAmong(pages, uids).unread;
}

export function withUnreadDelta(folders: Folder[], path: string, delta: number): Folder[] {
  if (delta === 0) return folders;
  return folders.map((f) => (f.path === path ? { ...f, unread: Math.max(0, f.unread + delta) } : f));
}
