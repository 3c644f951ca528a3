"use client";

import { useQuery, type QueryClient } from "@tanstack/react-query";
import { MAX_CONVERSATION_MEMBERS, type MessagePage } from "@/lib/mail/types";
import { readerApi } from "./reader-api";
import { mailKeys } from "./keys";
import { useAskAgainIfCancelled, type MessageRef } from "./use-message";

/**
 * The conversation of one message: its messages in the folder and the user's replies in Sent,
 * oldest first, headers only (each body loads in its own frame). Refetched after actions, since
 * messages come and go.
 */
export function useConversation(ref: MessageRef) {
  const query = useQuery(conversationQuery(ref));
  useAskAgainIfCancelled(query);
  return query;
}

/**
 * The conversation's messages in the folder as a cached list row has them (the server's THREAD
 * grouped them for the list), newest first and bounded as the reader stacks them: sent along, so
 * the server need not thread the folder again to open it.
 */
export function listedMembers(client: QueryClient, ref: MessageRef): number[] | undefined {
  for (const [, page] of client.getQueriesData<MessagePage>({ queryKey: mailKeys.lists() })) {
    if (!page?.conversations || !Array.isArray(page.messages)) continue;
    const row = page.messages.find((m) => m.uid === ref.uid && (m.folder ?? page.folder) === ref.folder && (m.uidValidity ?? page.uidValidity) === ref.uidValidity);
    if (row?.conversation) return row.conversation.uids.slice(0, MAX_CONVERSATION_MEMBERS);
  }
  return undefined;
}

/** The conversation reader's query: also what a prefetch fills (use-prefetch-open.ts). */
export const conversationQuery = (ref: MessageRef) => ({
  queryKey: mailKeys.conversation(ref.folder, ref.uidValidity, ref.uid),
  queryFn: ({ signal, client }: { signal: AbortSignal; client: QueryClient }) =>
    readerApi.conversation(ref.folder, ref.uidValidity, ref.uid, signal, listedMembers(client, ref)),
  staleTime: 30_000,
});
