"use client";

import { useQuery } from "@tanstack/react-query";
import { readerApi } from "./reader-api";
import { mailKeys } from "./keys";
import type { MessageRef } from "./use-message";

/**
 * The conversation of one message: its messages in the folder and the user's replies in Sent,
 * oldest first, headers only (each body loads in its own frame). Refetched after actions, since
 * messages come and go.
 */
export function useConversation(ref: MessageRef) {
  return useQuery(conversationQuery(ref));
}

/** The conversation reader's query: also what a prefetch fills (use-prefetch-open.ts). */
export const conversationQuery = (ref: MessageRef) => ({
  queryKey: mailKeys.conversation(ref.folder, ref.uidValidity, ref.uid),
  queryFn: ({ signal }: { signal: AbortSignal }) => readerApi.conversation(ref.folder, ref.uidValidity, ref.uid, signal),
  staleTime: 30_000,
});
