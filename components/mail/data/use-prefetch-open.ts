"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import type { MessageRef } from "./use-message";

export interface PrefetchTarget extends MessageRef {
  /** The conversation view: opening the row shows its conversation, with this message open in it. */
  conversation: boolean;
}

/**
 * Fetches, ahead of the click, what opening a row shows: its message (headers and its body's frame
 * document) and, in the conversation view, its conversation — one row at a time. Resting the
 * pointer or the keyboard cursor on a row starts it after a short delay, so sweeping over the list
 * fetches nothing; moving on cancels it, aborting the request through the query's AbortSignal,
 * unless it already finished or `keep()` was called (the row was opened: its reader takes the
 * request over).
 * The answers are the reader's own queries, so the click finds them in the cache and paints without
 * a request. The server reads the body with BODY.PEEK (nothing is marked read).
 *
 * The work is done by prefetch-open.ts, loaded when the pointer first comes to the list: the first
 * visit's script carries only this wrapper. Calls keep their order (each waits for the same module).
 */
export function usePrefetchOpen() {
  const client = useQueryClient();
  return useMemo(() => {
    let prefetcher: Promise<ReturnType<typeof import("./prefetch-open").createPrefetcher>> | undefined;
    const load = () => (prefetcher ??= import("./prefetch-open").then((m) => m.createPrefetcher(client)));
    return {
      /** The row now under the pointer or the cursor, or null (left the list). */
      intent(target: PrefetchTarget | null) {
        if (target || prefetcher) void load().then((p) => p.intent(target));
      },
      /** A message is being opened: what is in flight is the reader's now, not cancelled. */
      keep() {
        void prefetcher?.then((p) => p.keep());
      },
      /** This row is being opened: its requests leave now, not once the reader has rendered. */
      open(target: PrefetchTarget) {
        void load().then((p) => p.open(target));
      },
    };
  }, [client]);
}
