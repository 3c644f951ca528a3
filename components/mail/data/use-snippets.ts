"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { MessageSummary } from "@/lib/mail/types";

// The window must rest this long before its snippets are asked for: a fast scroll asks once, at the end.
const SETTLE_MS = 150;

/**
 * The second line of the rows on screen, for a mail server that offers no preview of its own: the
 * list answered without them (rows with `preview: null`), so the first page never waits; once the
 * window rests, their snippets are asked for in batches (request-snippets.ts, loaded then: GET
 * /api/messages/snippets, made by the server from a partial fetch of each message's text and kept
 * there) and patched into the cached pages. Rows of a server with PREVIEW already carry theirs
 * ("" when a message has no text), so nothing is asked for them.
 */
export function useSnippets(rows: readonly MessageSummary[], folder: string | null, uidValidity: string | null): void {
  const client = useQueryClient();
  // Asked already by this list.
  const asked = useRef(new Set<string>());
  // A row's folder and UIDVALIDITY are its own in search results, else its page's. JSON escapes
  // line breaks, so "\n" can join the keys into one string the effect depends on.
  const wanted = rows
    .flatMap((row) => {
      const f = row.folder ?? folder;
      const v = row.uidValidity ?? uidValidity;
      return row.preview === null && f && v ? [JSON.stringify([f, v, row.uid])] : [];
    })
    .join("\n");

  useEffect(() => {
    if (!wanted) return;
    const timer = setTimeout(() => {
      void import("./request-snippets").then((m) => m.requestSnippets(client, wanted.split("\n"), asked.current));
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [wanted, client]);
}
