import type { Folder, MessageFlags, MessagePage } from "@/lib/mail/types";

// Pure changes to cached data, applied at once when the user acts and rolled back if the server
// refuses. Kept free of React and of the query client so that the rules are unit-tested.

/** A list page without the given messages; the total shrinks by the number that left the source. */
export function withoutMessages(page: MessagePage, uids: ReadonlySet<number>, removedFromSource: number): MessagePage {
  const messages = page.messages.filter((m) => !uids.has(m.uid));
  return { ...page, messages, total: Math.max(0, page.total - removedFromSource) };
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
  if (!page.messages.some((m) => uids.has(m.uid))) return page;
  return { ...page, messages: page.messages.map((m) => (uids.has(m.uid) ? { ...m, flags: { ...m.flags, ...change } } : m)) };
}

/** How many of the given messages the cached pages know as unread: what a folder's count loses. */
export function unreadAmong(pages: readonly (MessagePage | undefined)[], uids: ReadonlySet<number>): number {
  const seen = new Set<number>();
  let unread = 0;
  for (const page of pages) {
    for (const m of page?.messages ?? []) {
      if (!uids.has(m.uid) || seen.has(m.uid)) continue;
      seen.add(m.uid);
      if (!m.flags.seen) unread += 1;
    }
  }
  return unread;
}

export function withUnreadDelta(folders: Folder[], path: string, delta: number): Folder[] {
  if (delta === 0) return folders;
  return folders.map((f) => (f.path === path ? { ...f, unread: Math.max(0, f.unread + delta) } : f));
}
