"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { MessageFlags } from "@/lib/mail/types";
import { readerApi } from "./reader-api";
import { patchFlags, restore, snapshot, type Snapshot } from "./cache";
import { mailKeys } from "./keys";

export interface MessageRef {
  folder: string;
  uidValidity: string;
  uid: number;
}

/** The reader's query for one message: also what a prefetch fills (use-prefetch-open.ts). */
export const messageQuery = (ref: MessageRef) => ({
  queryKey: mailKeys.message(ref.folder, ref.uidValidity, ref.uid),
  queryFn: ({ signal }: { signal: AbortSignal }) => readerApi.message(ref.folder, ref.uidValidity, ref.uid, false, signal),
  // A message does not change once read; only its flags do, and those the cache is told of.
  staleTime: Infinity,
});

/** One message: headers, parts and the document of its body's sandboxed frame. */
export function useMessage(ref: MessageRef) {
  const query = useQuery(messageQuery(ref));
  useAskAgainIfCancelled(query);
  return query;
}

/**
 * The body's document with remote images allowed, once the reader has said so (`enabled`): the
 * same route with remote=1, whose images come through the app's image proxy.
 */
export function useBodyWithRemote(ref: MessageRef, enabled: boolean) {
  return useQuery({
    queryKey: mailKeys.messageWithRemote(ref.folder, ref.uidValidity, ref.uid),
    queryFn: ({ signal }) => readerApi.message(ref.folder, ref.uidValidity, ref.uid, true, signal),
    select: (message) => message.bodyDocument,
    staleTime: Infinity,
    enabled,
  });
}

/**
 * The click starts the reader's query before the reader is there (prefetch-open.ts), so an
 * optimistic action of the same moment (archive, then auto-advance) can cancel it under the reader:
 * a cancelled query goes back to having nothing, and nothing would ask again. The reader does.
 */
export function useAskAgainIfCancelled({ status, fetchStatus, refetch }: { status: string; fetchStatus: string; refetch: () => Promise<unknown> }) {
  useEffect(() => {
    if (status === "pending" && fetchStatus === "idle") void refetch();
  }, [status, fetchStatus, refetch]);
}

/** Read/unread and flagged on one message, shown at once and rolled back if the server refuses. */
export function useSetFlags() {
  const client = useQueryClient();
  return useMutation<void, unknown, MessageRef & { change: Partial<MessageFlags> }, Snapshot>({
    scope: { id: "organize" },
    mutationFn: ({ folder, uidValidity, uid, change }) => readerApi.setFlags(folder, uidValidity, uid, change),
    onMutate: async ({ folder, uid, change }) => {
      // Pages still loading are left to arrive: opening message after message must not stall the list.
      const saved = await snapshot(client, [mailKeys.lists(), mailKeys.folders(), mailKeys.messages()], [mailKeys.folders()]);
      patchFlags(client, folder, [uid], change);
      return saved;
    },
    onError: (_e, _v, saved) => saved && restore(client, saved),
    onSettled: () => client.invalidateQueries({ queryKey: mailKeys.folders() }),
  });
}
