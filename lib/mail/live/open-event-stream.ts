import "server-only";
import { subscribeEvents } from "@/lib/events";
import type { MailAccount } from "@/lib/mail/imap/account";
import type { MailEvent } from "@/lib/mail/types";
import { shutdownSignal } from "@/lib/runtime/shutdown";
import { attachLiveWatch } from "./watch-mailbox";

/** Proxies and load balancers close a connection that says nothing for a minute or so. */
export const HEARTBEAT_MS = 25_000;

/**
 * The browser's end of live updates: a Server-Sent Events stream (text/event-stream, WHATWG HTML
 * §9.2) of the login's events (`event: mail`, JSON data), a comment line every 25 s so proxies keep
 * it open, and `retry:` telling the browser to reconnect after 3 s when it drops. While it is open
 * the mailbox is watched (watch-mailbox.ts). Everything is let go when the browser goes away —
 * the request's signal aborts or the stream is cancelled, whichever Next reports first — and when
 * the process is told to stop, so a deploy's graceful shutdown is not held open by it.
 */
export async function openEventStream(account: MailAccount, signal: AbortSignal): Promise<Response> {
  const encoder = new TextEncoder();
  const stopping = shutdownSignal();
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let finished = false;

  const send = (text: string) => {
    if (finished || !controller) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };
  // Subscribed before the response starts: a store that is down is a 503, not a silent stream.
  const unsubscribe = await subscribeEvents(account.login, (event: MailEvent) => send(`event: mail\ndata: ${JSON.stringify(event)}\n\n`));
  const detach = attachLiveWatch(account);
  const heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);

  function finish() {
    if (finished) return;
    finished = true;
    clearInterval(heartbeat);
    signal.removeEventListener("abort", finish);
    stopping.removeEventListener("abort", finish);
    detach();
    void unsubscribe().catch(() => undefined);
    try {
      controller?.close();
    } catch {
      // Already closed by the other side.
    }
  }

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      send("retry: 3000\n\nevent: ready\ndata: {}\n\n");
    },
    cancel: finish,
  });
  signal.addEventListener("abort", finish);
  stopping.addEventListener("abort", finish);
  if (signal.aborted || stopping.aborted) finish();

  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: Next's gzip (and any proxy) must not hold events back to compress them.
      "Cache-Control": "no-cache, no-transform",
      // nginx: pass each event on as it comes (docs/deployment.md, scripts/nginx).
      "X-Accel-Buffering": "no",
      // The connection ends with the stream. Kept alive, the browser would send its reconnection
      // over it, and a server shutting down (which waits for busy connections) would never finish.
      Connection: "close",
    },
  });
}
