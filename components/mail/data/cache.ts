import type { QueryClient, QueryKey } from "@tanstack/react-query";
import type { Folder, Message, MessageFlags, MessagePage } from "@/lib/mail/types";
import { mailKeys } from "./keys";
import { unreadAmong, withFlags, withoutMessages, withUnreadDelta } from "./optimistic";

/** What the cache held before an optimistic change, to put back if the server refuses. */
export type Snapshot = [QueryKey, unknown][];

export async function snapshot(client: QueryClient, keys: QueryKey[], cancel: QueryKey[] = keys): Promise<Snapshot> {
  // A fetch already on its way would overwrite the optimistic state with the old one.
  await Promise.all(cancel.map((queryKey) => client.cancelQueries({ queryKey })));
  return keys.flatMap((queryKey) => client.getQueriesData({ queryKey }));
}

export function restore(client: QueryClient, saved: Snapshot): void {
  for (const [key, data] of saved) client.setQueryData(key, data);
}

/** Pages of every cached list of one folder (any sort order). */
function folderPages(client: QueryClient, folder: string): MessagePage[] {
  return client
    .getQueriesData<MessagePage>({ queryKey: mailKeys.lists() })
    .flatMap(([, page]) => (page && page.folder === folder ? [page] : []));
}

/** Messages left the folder: off every cached page, and off its unread count. */
export function removeMessages(client: QueryClient, folder: string, uids: number[]): void {
  const set = new Set(uids);
  const unread = unreadAmong(folderPages(client, folder), set);
  client.setQueriesData<MessagePage>({ queryKey: mailKeys.lists() }, (page) =>
    page && page.folder === folder ? withoutMessages(page, set, uids.length) : page,
  );
  client.setQueryData<Folder[]>(mailKeys.folders(), (folders) => folders && withUnreadDelta(folders, folder, -unread));
}

/** Flags changed on some messages of a folder: their rows, the open message, the unread count. */
export function patchFlags(client: QueryClient, folder: string, uids: number[], change: Partial<MessageFlags>): void {
  const set = new Set(uids);
  if (change.seen !== undefined) {
    const pages = folderPages(client, folder);
    const unreadBefore = unreadAmong(pages, set);
    const known = new Set(pages.flatMap((p) => p.messages.filter((m) => set.has(m.uid)).map((m) => m.uid))).size;
    // Marking read removes the unread ones from the count; marking unread adds the read ones.
    const delta = change.seen ? -unreadBefore : known - unreadBefore;
    client.setQueryData<Folder[]>(mailKeys.folders(), (folders) => folders && withUnreadDelta(folders, folder, delta));
  }
  client.setQueriesData<MessagePage>({ queryKey: mailKeys.lists() }, (page) =>
    page && page.folder === folder ? withFlags(page, set, change) : page,
  );
  client.setQueriesData<Message>({ queryKey: ["message", folder] }, (m) =>
    m && set.has(m.uid) ? { ...m, flags: { ...m.flags, ...change } } : m,
  );
}

/**
 * Messages another client removed (an expunge the server reported): off the cached pages where
 * they are, the totals and unread count smaller by what was found. Unlike `removeMessages`, the
 * UIDs may already be gone (this tab moved them itself), so only rows still shown count.
 */
export function removeKnownMessages(client: QueryClient, folder: string, uids: number[]): void {
  const set = new Set(uids);
  const pages = folderPages(client, folder);
  const found = new Set(pages.flatMap((p) => p.messages.filter((m) => set.has(m.uid)).map((m) => m.uid)));
  if (found.size === 0) return;
  const unread = unreadAmong(pages, found);
  client.setQueriesData<MessagePage>({ queryKey: mailKeys.lists() }, (page) =>
    page && page.folder === folder ? withoutMessages(page, found, found.size) : page,
  );
  client.setQueryData<Folder[]>(mailKeys.folders(), (folders) => folders && withUnreadDelta(folders, folder, -unread));
}
