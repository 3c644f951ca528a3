import type { QueryClient, QueryKey } from "@tanstack/react-query";
import type { Message } from "@/lib/mail/types";
import { bodyUrl } from "./reader-api";
import { conversationQuery } from "./use-conversation";
import { messageQuery } from "./use-message";
import type { PrefetchTarget } from "./use-prefetch-open";

/** How long the pointer or the keyboard cursor rests on a row before its message is fetched. */
export const PREFETCH_DELAY_MS = 120;

/** A body frame fetched ahead that never finished is given up after this long. */
const BODY_FRAME_TIMEOUT_MS = 15_000;

const idOf = (target: PrefetchTarget) => `${target.folder}\n${target.uidValidity}\n${target.uid}\n${target.conversation}`;

/**
 * The body's document, fetched ahead into the browser's own cache by a frame that is never shown:
 * the reader's frame is then served from that cache. A fetch() would not do — Chromium keys a
 * frame's document apart from what scripts fetch (its HTTP cache marks subframe documents) — so
 * the request is made as the reader makes it, by a frame with the same sandbox. Only the login's
 * cacheable URL (its body key: lib/mail/body-cache-key.ts) is worth fetching so; the frame removes
 * itself once loaded, and removing it sooner (the cursor moved on) cancels the request.
 */
function fetchBodyAhead(url: string): () => void {
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-same-origin");
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.referrerPolicy = "no-referrer";
  frame.style.display = "none";
  const remove = () => {
    clearTimeout(timeout);
    frame.remove();
  };
  const timeout = setTimeout(remove, BODY_FRAME_TIMEOUT_MS);
  frame.addEventListener("load", remove, { once: true });
  frame.src = url;
  document.body.append(frame);
  return remove;
}

/** The prefetcher of one tab's query client (use-prefetch-open.ts says what it does). */
export function createPrefetcher(client: QueryClient) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: QueryKey[] = [];
  let current = "";
  let cancelBody: (() => void) | undefined;

  const stop = () => {
    clearTimeout(timer);
    cancelBody?.();
    cancelBody = undefined;
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
      timer = setTimeout(() => fetchAhead(target, true), PREFETCH_DELAY_MS);
    },
    keep() {
      // A body frame on its way is left to finish too: the reader's frame may then find it cached.
      pending = [];
      cancelBody = undefined;
    },
    /**
     * The row is being opened: its queries start now, in the click's own task, rather than when the
     * reader has rendered (the URL change re-renders the shell first, tens of milliseconds under
     * load). What a rest on the row already fetched is found in the cache; nothing is cancelled.
     */
    open(target: PrefetchTarget) {
      clearTimeout(timer);
      pending = [];
      cancelBody = undefined;
      current = idOf(target);
      // The reader's own frame asks for the body now: no frame fetches it ahead.
      fetchAhead(target, false);
      pending = [];
    },
  };

  function fetchAhead(target: PrefetchTarget, withBody: boolean) {
    const message = messageQuery(target);
    pending.push(message.queryKey);
    const id = idOf(target);
    void client.prefetchQuery(message).then(() => {
      // The message's JSON names the login's body key; the cursor may have moved on meanwhile.
      const bodyKey = client.getQueryData<Message>(message.queryKey)?.bodyKey;
      if (withBody && bodyKey && current === id && !cancelBody) {
        cancelBody = fetchBodyAhead(bodyUrl(target.folder, target.uidValidity, target.uid, false, bodyKey));
      }
    });
    if (target.conversation) {
      const conversation = conversationQuery(target);
      pending.push(conversation.queryKey);
      void client.prefetchQuery(conversation);
    }
  }
}
