"use client";

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { MAX_SNIPPET_UIDS, type MessagePage, type MessageSummary } from "@/lib/mail/types";
import { messageQuery, request } from "./api-client";
import { mailKeys } from "./keys";

// The window must rest this long before its snippets are asked for: a fast scroll asks once, at the end.
const SETTLE_MS = 150;

interface Wanted {
  folder: string;
  uidValidity: string;
  uids: number[];
}

/** A row's folder and UIDVALIDITY: its own in search results, else its page's. */
const keyOf = (folder: string, uidValidity: string, uid: number) => `${uidValidity}:${uid}:${folder}`;

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
 * The second line of the rows on screen, for a mail server that offers no preview of its own: the
 * list answered without them (rows with `preview: null`), so the first page never waits; once the
 * window rests, their snippets are asked for in batches (GET /api/messages/snippets, made by the
 * server from a partial fetch of each message's text and kept there) and patched into the cached
 * pages. Rows of a server with PREVIEW already carry theirs ("" when a message has no text), so
 * nothing is asked for them.
 */
export function useSnippets(rows: readonly MessageSummary[], folder: string | null, uidValidity: string | null): void {
  const client = useQueryClient();
  // Asked already by this list (a failed batch is forgotten, so the next rest asks again).
  const asked = useRef(new Set<string>());

  const wanted = rows
    .flatMap((row) => {
      const f = row.folder ?? folder;
      const v = row.uidValidity ?? uidValidity;
      return row.preview === null && f && v ? [keyOf(f, v, row.uid)] : [];
    })
    .join("\n");

  useEffect(() => {
    if (!wanted) return;
    const timer = setTimeout(() => {
      const groups = new Map<string, Wanted>();
      for (const key of wanted.split("\n")) {
        if (asked.current.has(key)) continue;
        asked.current.add(key);
        const [v, uid, ...rest] = key.split(":");
        const f = rest.join(":");
        const group = groups.get(`${v}:${f}`) ?? { folder: f, uidValidity: v!, uids: [] };
        group.uids.push(Number(uid));
        groups.set(`${v}:${f}`, group);
      }
      for (const group of groups.values()) {
        for (let start = 0; start < group.uids.length; start += MAX_SNIPPET_UIDS) {
          const uids = group.uids.slice(start, start + MAX_SNIPPET_UIDS);
          const query = messageQuery(group.folder, group.uidValidity, { uids: uids.join(",") });
          request<{ snippets: Record<string, string> }>(`/api/messages/snippets?${query}`).then(
            ({ snippets }) => patchPreviews(client, group.folder, group.uidValidity, snippets),
            // A snippet is a nicety: the row stays one line, and the next rest of the window tries again.
            () => uids.forEach((uid) => asked.current.delete(keyOf(group.folder, group.uidValidity, uid))),
          );
        }
      }
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [wanted, client]);
}
