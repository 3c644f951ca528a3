import type { QueryClient, QueryKey } from "@tanstack/react-query";
import type { Folder, MessageFlags, MessagePage, MessageView } from "@/lib/mail/types";
import { mailKeys } from "./keys";
import { knownAmong, leavingRows, unreadAmong, withFlags, withFlagsOf, withoutMessages, withoutMessagesOf, withUnreadDelta } from "./optimistic";

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
  const pages = folderPages(client, folder);
  const unread = unreadAmong(pages, set);
  // A conversation list's total counts conversations: it loses the rows that leave.
  const rows = leavingRows(pages.filter((p) => p.conversations), set);
  client.setQueriesData<MessagePage>({ queryKey: mailKeys.lists() }, (page) =>
    // An in:anywhere page (folder "") holds rows of many folders, each naming its own.
    page && page.folder === folder
      ? withoutMessages(page, set, uids.length, rows)
      : page && page.folder === ""
        ? withoutMessagesOf(page, folder, set)
        : page,
  );
  client.setQueryData<Folder[]>(mailKeys.folders(), (folders) => folders && withUnreadDelta(folders, folder, -unread));
}

/** Flags changed on some messages of a folder: their rows, the open message, the unread count. */
export function patchFlags(client: QueryClient, folder: string, uids: number[], change: Partial<MessageFlags>): void {
  const set = new Set(uids);
  if (change.seen !== undefined) {
    const { known, unread: unreadBefore } = knownAmong(folderPages(client, folder), set);
    // Marking read removes the unread ones from the count; marking unread adds the read ones.
    const delta = change.seen ? -unreadBefore : known - unreadBefore;
    client.setQueryData<Folder[]>(mailKeys.folders(), (folders) => folders && withUnreadDelta(folders, folder, delta));
  }
  client.setQueriesData<MessagePage>({ queryKey: mailKeys.lists() }, (page) =>
    page && page.folder === folder ? withFlags(page, set, change) : page && page.folder === "" ? withFlagsOf(page, folder, set, change) : page,
  );
  client.setQueriesData<MessageView>({ queryKey: ["message", folder] }, (m) =>
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
