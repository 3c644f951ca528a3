import type { QueryClient } from "@tanstack/react-query";
import { MAX_SNIPPET_UIDS, type MessagePage } from "@/lib/mail/types";
import { messageQuery, request } from "./api-client";
import { mailKeys } from "./keys";

// Loaded on the first list that wants snippets (use-snippets.ts), not on the first visit.

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
 * skipping those in `asked`, in batches of at most MAX_SNIPPET_UIDS per folder, and patches the
 * answers in. A batch that fails is forgotten from `asked`, so a later rest of the window asks again.
 */
export function requestSnippets(client: QueryClient, keys: readonly string[], asked: Set<string>): void {
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
      request<{ snippets: Record<string, string> }>(`/api/messages/snippets?${messageQuery(folder, uidValidity, { uids: uids.join(",") })}`).then(
        ({ snippets }) => patchPreviews(client, folder, uidValidity, snippets),
        // A snippet is a nicety: the row stays one line until the window rests again.
        () => uids.forEach((uid) => asked.delete(JSON.stringify([folder, uidValidity, uid]))),
      );
    }
  }
}
