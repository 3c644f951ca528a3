import "server-only";

/**
 * Aborted when this process is asked to stop (SIGTERM from a deploy or `npm run` supervisor,
 * SIGINT): responses that never end by themselves — the live-updates event stream — end then.
 * `next start` closes its HTTP server on these signals and waits for open requests to finish; an
 * open event stream kept a SIGTERMed app running until it was killed (e2e/restart.spec.ts and
 * two-instances.spec.ts hung). The browser reconnects (`retry:`) to whichever instance serves next.
 *
 * Process lifecycle, not server state: one controller per process, created on first use; nothing
 * here is shared between instances or meant to outlive the process.
 */
let shutdown: AbortController | undefined;

export function shutdownSignal(): AbortSignal {
  if (!shutdown) {
    const controller = new AbortController();
    const abort = () => controller.abort(new Error("the server is shutting down"));
    process.once("SIGTERM", abort);
    process.once("SIGINT", abort);
    shutdown = controller;
  }
  return shutdown.signal;
}
