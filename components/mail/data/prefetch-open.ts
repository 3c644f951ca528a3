import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { conversationQuery } from "./use-conversation";
import { messageQuery } from "./use-message";
import type { PrefetchTarget } from "./use-prefetch-open";

/** How long the pointer or the keyboard cursor rests on a row before its message is fetched. */
export const PREFETCH_DELAY_MS = 120;

const idOf = (target: PrefetchTarget) => `${target.folder}\n${target.uidValidity}\n${target.uid}\n${target.conversation}`;

/** The prefetcher of one tab's query client (use-prefetch-open.ts says what it does). */
export function createPrefetcher(client: QueryClient) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: QueryKey[] = [];
  let current = "";

  const stop = () => {
    clearTimeout(timer);
    for (const queryKey of pending) {
      const query = client.getQueryCache().find({ queryKey, exact: true });
      // Cancelling aborts the request (the query function passed its AbortSignal to fetch) and puts
      // the query back as it was; one the reader now shows is left alone.
      if (query?.state.fetchStatus === "fetching" && query.getObserversCount() === 0) void client.cancelQueries({ queryKey, exact: true });
    }
    pending = [];
  };

  return {
    intent(target: PrefetchTarget | null) {
      const id = target ? idOf(target) : "";
      if (id === current) return;
      current = id;
      stop();
      if (!target) return;
      timer = setTimeout(() => fetchAhead(target), PREFETCH_DELAY_MS);
    },
    keep() {
      pending = [];
    },
    /**
     * The row is being opened: its queries start now, in the click's own task, rather than when the
     * reader has rendered (the URL change re-renders the shell first, tens of milliseconds under
     * load). What a rest on the row already fetched is found in the cache; nothing is cancelled.
     */
    open(target: PrefetchTarget) {
      clearTimeout(timer);
      current = idOf(target);
      fetchAhead(target);
      pending = [];
    },
  };

  function fetchAhead(target: PrefetchTarget) {
    // The message's JSON carries its body's document: nothing else to fetch for the reader's frame.
    const message = messageQuery(target);
    pending.push(message.queryKey);
    void client.prefetchQuery(message);
    if (target.conversation) {
      const conversation = conversationQuery(target);
      pending.push(conversation.queryKey);
      void client.prefetchQuery(conversation);
    }
  }
}
