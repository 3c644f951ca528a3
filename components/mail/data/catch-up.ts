import type { QueryClient } from "@tanstack/react-query";
import type { Folder } from "@/lib/mail/types";
import { mailKeys } from "./keys";

const counts = (folders: Folder[]) => folders.map((f) => `${f.path} ${f.total} ${f.unread}`).join("\n");

/**
 * After a gap (the stream (re)connected, the server's watch restarted): the counts and the lists on
 * screen again. Apart from live-events.ts so the stream's first `ready` needs nothing else: the
 * event mapping then loads with the first real event, not with the first visit.
 *
 * The first `ready` of a page that already has the folders (the server rendered them with the first
 * page of rows, moments before) reads the counts again and the lists only when a count moved: the
 * first page is not fetched twice for nothing. What keeps every count (a flag set and cleared in
 * those moments) waits for the next refresh.
 */
export function catchUp(client: QueryClient, first = false): void {
  const before = first ? client.getQueryData<Folder[]>(mailKeys.folders()) : undefined;
  const lists = () => client.invalidateQueries({ queryKey: mailKeys.lists() });
  const folders = client.invalidateQueries({ queryKey: mailKeys.folders() });
  if (!before) {
    void lists();
    return;
  }
  void folders.then(() => {
    const now = client.getQueryData<Folder[]>(mailKeys.folders());
    if (!now || counts(now) !== counts(before)) void lists();
  });
}
