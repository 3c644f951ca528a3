import type { QueryClient } from "@tanstack/react-query";
import { mailKeys } from "./keys";

/**
 * After a gap (the stream (re)connected, the server's watch restarted): the counts and the lists on
 * screen again. Apart from live-events.ts so the stream's first `ready` needs nothing else: the
 * event mapping then loads with the first real event, not with the first visit.
 */
export function catchUp(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: mailKeys.folders() });
  void client.invalidateQueries({ queryKey: mailKeys.lists() });
}
