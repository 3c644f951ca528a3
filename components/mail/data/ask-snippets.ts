import type { QueryClient } from "@tanstack/react-query";
import { MAX_SNIPPET_UIDS, type MessagePage, type MessageSummary } from "@/lib/mail/types";
import { messageQuery, request } from "./api-client";
import { mailKeys } from "./keys";

/**
 * The second line of the rows on screen, for a mail server that offers no preview of its own: the
 * list answered without them (rows with `preview: null`), so the first page never waits. The list
 * (message-list.tsx) hands its rows on screen here — this module loads on that first call, so the
 * first visit does not carry it — and once the window has rested their snippets are asked for in
 * batches (GET /api/messages/snippets, made by the server from a partial fetch of each message's
 * text and kept there) and patched into the cached pages. Rows of a server with PREVIEW already
 * carry theirs ("" when a message has no text), so nothing is asked for them.
 */

// The window must rest this long before its snippets are asked for: a fast scroll asks once, at the end.
const SETTLE_MS = 150;

// Per tab (its QueryClient): the pending ask, and the rows being asked for (a row whose snippet was
// answered may be asked again should a refetch bring it back without; one the server no longer
// has is never asked again).
const pending = new WeakMap<QueryClient, ReturnType<typeof setTimeout>>();
const inFlight = new WeakMap<QueryClient, Set<string>>();

/** Asks, once the window rests, for the snippets of `rows` that have none (their folder: their own in search results, else the list's). */
export function askSnippets(client: QueryClient, rows: readonly MessageSummary[], folder: string | null, uidValidity: string | null): void {
  clearTimeout(pending.get(client));
  const keys = rows.flatMap((row) => {
    const f = row.folder ?? folder;
    const v = row.uidValidity ?? uidValidity;
    return row.preview === null && f && v ? [JSON.stringify([f, v, row.uid])] : [];
  });
  if (keys.length === 0) return;
  let asked = inFlight.get(client);
  if (!asked) inFlight.set(client, (asked = new Set()));
  pending.set(
    client,
    setTimeout(() => requestSnippets(client, keys, asked), SETTLE_MS),
  );
}

/**
 * Puts snippets into every cached page showing those rows (a folder's pages in any order, its
 * conversations, a search's results), where the row has no preview yet.
 */
export function patchPreviews(client: QueryClient, folder: string, uidValidity: string, snippets: Readonly<Record<string, string>>): void {
  client.setQueriesData<MessagePage>({ queryKey: mailKeys.lists() }, (page) => {
    if (!page || !Array.isArray(page.messages)) return page;
    let changed = false;
    const messages = page.messages.map((row) => {
      if (row.preview !== null || (row.folder ?? page.folder) !== folder || (row.uidValidity ?? page.uidValidity) !== uidValidity) return row;
      const text = snippets[String(row.uid)];
      if (typeof text !== "string") return row;
      changed = true;
      return { ...row, preview: text };
    });
    return changed ? { ...page, messages } : page;
  });
}

/**
 * Asks GET /api/messages/snippets for the rows `keys` name (JSON of [folder, uidValidity, uid]),
 * skipping those already asked for, in batches of at most MAX_SNIPPET_UIDS per folder, and patches
 * the answers in. A failed batch is forgotten, so the next rest of the window asks again.
 */
function requestSnippets(client: QueryClient, keys: readonly string[], asked: Set<string>): void {
  const groups = new Map<string, { folder: string; uidValidity: string; uids: number[] }>();
  for (const key of keys) {
    if (asked.has(key)) continue;
    asked.add(key);
    const [folder, uidValidity, uid] = JSON.parse(key) as [string, string, number];
    const id = JSON.stringify([folder, uidValidity]);
    const group = groups.get(id) ?? { folder, uidValidity, uids: [] };
    group.uids.push(uid);
    groups.set(id, group);
  }
  for (const { folder, uidValidity, uids: all } of groups.values()) {
    for (let start = 0; start < all.length; start += MAX_SNIPPET_UIDS) {
      const uids = all.slice(start, start + MAX_SNIPPET_UIDS);
      const forget = (done: (uid: number) => boolean) => uids.forEach((uid) => done(uid) && asked.delete(JSON.stringify([folder, uidValidity, uid])));
      request<{ snippets: Record<string, string> }>(`/api/messages/snippets?${messageQuery(folder, uidValidity, { uids: uids.join(",") })}`).then(
        ({ snippets }) => {
          patchPreviews(client, folder, uidValidity, snippets);
          forget((uid) => String(uid) in snippets);
        },
        // A snippet is a nicety: the row stays one line until the window rests again.
        () => forget(() => true),
      );
    }
  }
}
