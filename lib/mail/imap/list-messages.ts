import "server-only";
import type { FetchMessageObject } from "imapflow";
import type { MessagePage, MessageSortKey, SortOrder } from "@/lib/mail/types";
import { listThroughCache } from "@/lib/mail/cache/cached-list";
import type { CacheLimits } from "@/lib/mail/cache/cache-budget";
import { serverConfig } from "@/lib/env";
import { pagePositions } from "@/lib/mail/page-positions";
import { getStore } from "@/lib/store";
import type { MailAccount } from "./account";
import { fetchHeaders, summarize } from "./fetch-headers";
import { fetchPreviews } from "./fetch-previews";
import { keepSelected, lendSelected, withImapClient, withMailbox } from "./pool";
import { sortSupport, sortUids } from "./sort-uids";
import { FolderReplacedError, openFolderSource } from "./sync-folder";

export { HEADER_QUERY, fetchHeaders, summarize } from "./fetch-headers";

export interface ListInput {
  folder: string;
  page: number;
  pageSize: number;
  sort?: MessageSortKey;
  order?: SortOrder;
}

/**
 * One page of a folder, header-first: flags, envelope, size and body structure (to know about
 * attachments), plus the server's preview line where it offers one; never a body.
 *
 * By date, sender, subject or size the server sorts (SORT, RFC 5256; ESORT, RFC 5267), and only
 * the page's UIDs are fetched, so page 1,000 costs what page 1 does. A server without SORT gets
 * arrival order, and the page says so (`sort: "arrival"`). Arrival order needs no SORT at all:
 * UIDs ascend with sequence numbers, which are dense, so a page is a sequence range.
 */
export async function listMessages(account: MailAccount, input: ListInput): Promise<MessagePage> {
  const limits = serverConfig().listCache;
  if (limits.maxBytesPerLogin > 0) {
    const cached = await listMessagesCached(account, input, limits);
    if (cached) return cached;
  }
  return listMessagesDirect(account, input);
}

/**
 * The page through the header cache (lib/mail/cache/cached-list.ts: one STATUS, then the store;
 * SELECT and FETCH only for what changed or was never cached), on one pooled connection. Null when
 * the cache cannot serve right now (another request is writing this folder's cache).
 */
export async function listMessagesCached(account: MailAccount, input: ListInput, limits: CacheLimits): Promise<MessagePage | null> {
  const page = await listViaCache(account, input, limits);
  if (page) keepSelected(account, input.folder, page.total);
  return page;
}

async function listViaCache(account: MailAccount, input: ListInput, limits: CacheLimits): Promise<MessagePage | null> {
  const store = await getStore();
  // STATUS comes first, on a connection that has not the folder selected (sync-folder.ts).
  const statusFirst = { affinity: { path: input.folder, selected: false } };
  for (let attempt = 0; ; attempt++) {
    try {
      return await withImapClient(account, async (client) => {
        const source = openFolderSource(client, input.folder, undefined, () => lendSelected(account, input.folder));
        try {
          return await listThroughCache(store, account.login, source, input, limits);
        } finally {
          source.release();
        }
      }, statusFirst);
    } catch (error) {
      // The folder was replaced between STATUS and SELECT: the next STATUS sees the new UIDVALIDITY.
      if (error instanceof FolderReplacedError && attempt < 2) continue;
      throw error;
    }
  }
}

/** The page straight from the server, without the cache (SORT or a sequence range, then FETCH). */
export async function listMessagesDirect(account: MailAccount, input: ListInput): Promise<MessagePage> {
  const order = input.order ?? "desc";
  return withMailbox(account, input.folder, async ({ client, mailbox, uidValidity }) => {
    const wanted = input.sort ?? "date";
    const sort: MessageSortKey = wanted !== "arrival" && sortSupport(client.capabilities).sort ? wanted : "arrival";
    const positions = pagePositions(mailbox.exists, input.page, input.pageSize, order);

    let ordered: FetchMessageObject[] = [];
    if (positions && sort !== "arrival") {
      const uids = await sortUids(client, { key: sort, range: positions, exists: mailbox.exists });
      if (order === "desc") uids.reverse();
      if (uids.length) {
        const byUid = new Map((await fetchHeaders(client, uids.join(","), true)).map((m) => [m.uid, m]));
        // A message expunged between SORT and FETCH is simply missing from the page.
        ordered = uids.flatMap((uid) => byUid.get(uid) ?? []);
      }
    } else if (positions) {
      const fetched = await fetchHeaders(client, `${positions.from}:${positions.to}`, false);
      // Servers may answer FETCH in any order; UID order is arrival order.
      ordered = fetched.sort((a, b) => (order === "desc" ? b.uid - a.uid : a.uid - b.uid));
    }
    const previews = await fetchPreviews(
      client,
      ordered.map((m) => m.uid),
    );
    return {
      folder: input.folder,
      uidValidity,
      total: mailbox.exists,
      page: input.page,
      pageSize: input.pageSize,
      sort,
      order,
      messages: ordered.map((m) => summarize(m, previews)),
    };
  });
}
