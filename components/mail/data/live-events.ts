import type { Query, QueryClient } from "@tanstack/react-query";
import type { Folder, FolderCounts, MailEvent, MessagePage } from "@/lib/mail/types";
import { patchFlags, removeKnownMessages } from "./cache";
import { catchUp } from "./catch-up";
import { mailKeys } from "./keys";
import { sourceId } from "./source";

// What each server event (GET /api/events) does to the cache: patch what it names exactly, and
// refetch only the queries it touches — the folder tree's counts and the lists of that folder.
// Invalidation refetches what is on screen and marks the rest stale, so a list that is not shown
// costs nothing until it is.

/** Every cached list page that shows messages of `folder`: its own pages, and any other source's rows of it. */
function isListOf(folder: string) {
  const own = sourceId({ kind: "folder", folder });
  return (query: Query) =>
    query.queryKey[0] === "list" && (query.queryKey[1] === own || (query.state.data as MessagePage | undefined)?.folder === folder);
}

function refreshFolder(client: QueryClient, folder: string): void {
  void client.invalidateQueries({ queryKey: mailKeys.folders() });
  // Every page of the folder, not only the first: one new message at the top moves every page
  // boundary by one, and pages refetched together keep rows from showing twice or not at all.
  void client.invalidateQueries({ predicate: isListOf(folder) });
}

function patchCounts(client: QueryClient, counts: FolderCounts[]): void {
  const byPath = new Map(counts.map((c) => [c.path, c]));
  client.setQueryData<Folder[]>(mailKeys.folders(), (folders) =>
    folders?.map((f) => {
      const c = byPath.get(f.path);
      return c ? { ...f, total: c.total, unread: c.unread } : f;
    }),
  );
  for (const c of counts) void client.invalidateQueries({ predicate: isListOf(c.path) });
}

/**
 * A message open in the reader that another client moved or deleted: its query is asked again, and
 * the reader says the server's "That message no longer exists…" above what it still shows. Only
 * queries on screen refetch; `uids` null (no QRESYNC) rechecks every open message of the folder.
 */
function recheckOpenMessages(client: QueryClient, folder: string, uidValidity: string, uids: number[] | null): void {
  const gone = uids && new Set(uids);
  void client.invalidateQueries({
    predicate: (query) => {
      const [kind, path, validity, uid] = query.queryKey;
      if ((kind !== "message" && kind !== "conversation") || path !== folder || validity !== uidValidity) return false;
      // A conversation is keyed by its newest message but shows them all: any expunge rechecks it.
      return kind === "conversation" || !gone || gone.has(uid as number);
    },
  });
}

export function applyMailEvent(client: QueryClient, event: MailEvent): void {
  switch (event.type) {
    case "new-mail":
    case "folder-changed":
      return refreshFolder(client, event.folder);
    case "flags-changed":
      // The row changes at once; the count follows from the server (the row may not be loaded here).
      patchFlags(client, event.folder, [event.uid], event.flags);
      void client.invalidateQueries({ queryKey: mailKeys.folders() });
      return;
    case "expunged":
      if (event.uids) removeKnownMessages(client, event.folder, event.uids);
      recheckOpenMessages(client, event.folder, event.uidValidity, event.uids);
      return refreshFolder(client, event.folder);
    case "counts":
      return patchCounts(client, event.folders);
    case "message-sent": {
      // The copy filed in Sent: that folder's lists and counts.
      const sent = client.getQueryData<Folder[]>(mailKeys.folders())?.find((f) => f.role === "sent");
      if (sent) return refreshFolder(client, sent.path);
      void client.invalidateQueries({ queryKey: mailKeys.folders() });
      return;
    }
    case "resync":
      return catchUp(client);
  }
}
