import "server-only";
import { conversationId } from "@/lib/mail/conversations/conversation-id";
import { conversationPage } from "@/lib/mail/conversations/conversation-page";
import { conversationRow, groupByHeaders, rootMessageId } from "@/lib/mail/conversations/group-messages";
import type { MessagePage, MessageSummary, SortOrder } from "@/lib/mail/types";
import type { ImapFlow } from "imapflow";
import { listConversationsThroughCache } from "@/lib/mail/cache/cached-conversations";
import type { CacheLimits } from "@/lib/mail/cache/cache-budget";
import { serverConfig } from "@/lib/env";
import { getStore } from "@/lib/store";
import type { MailAccount } from "./account";
import { fetchConversationMembers, type Member } from "./fetch-conversation-members";
import { fetchPreviews } from "./fetch-previews";
import { listMessages } from "./list-messages";
import { keepSelected, withImapClient, withMailbox } from "./pool";
import { FolderReplacedError, openFolderSource } from "./sync-folder";
import { threadAlgorithm, threadUids } from "./thread-uids";
import { threadNewest } from "./thread-newest";

/** A page never fetches more than this many messages, however long its conversations are. */
export const MAX_PAGE_MEMBERS = 2000;

/** One conversation's row from its fetched members (any order). */
export function rowOf(login: string, folder: string, uidValidity: string, members: Member[]): MessageSummary {
  const oldestFirst = [...members].sort((a, b) => a.summary.date.localeCompare(b.summary.date) || a.summary.uid - b.summary.uid);
  const root = rootMessageId(oldestFirst.map((m) => m.headers)) ?? `${folder}\n${uidValidity}\n${oldestFirst[0]!.summary.uid}`;
  return conversationRow(conversationId(login, root), members.map((m) => m.summary));
}

/**
 * The whole folder's conversations as the server threads it (THREAD=REFS or THREAD=REFERENCES,
 * RFC 5256, from its own index), oldest conversation first by its newest arrival; null where the
 * server cannot thread. The folder must be selected.
 */
export async function folderThreads(client: ImapFlow, exists: number): Promise<number[][] | null> {
  const algorithm = threadAlgorithm(client.capabilities);
  if (!algorithm) return null;
  if (exists === 0) return [];
  const threads = await threadUids(client, algorithm, exists);
  // REFS lists the thread with the newest message last; REFERENCES orders by the oldest, so its
  // threads are put in order of their newest arrival (UIDs grow with arrival).
  if (algorithm === "REFERENCES") threads.sort((a, b) => Math.max(...a) - Math.max(...b));
  return threads;
}

/**
 * One row per conversation of `threads` (each a conversation's UIDs), in that order: members'
 * envelopes and flags (each conversation's newest first, within MAX_PAGE_MEMBERS for the page),
 * and the preview of each row's newest message. The folder must be selected.
 */
export async function conversationRowsOf(
  client: ImapFlow,
  login: string,
  folder: string,
  uidValidity: string,
  threads: number[][],
): Promise<MessageSummary[]> {
  if (threads.length === 0) return [];
  const perThread = Math.max(1, Math.floor(MAX_PAGE_MEMBERS / threads.length));
  const wanted = threads.map((t) => [...t].sort((a, b) => b - a).slice(0, perThread));
  const fetched = await fetchConversationMembers(client, wanted.flat(), new Set());
  const byUid = new Map(fetched.map((m) => [m.summary.uid, m]));
  const rows = wanted.flatMap((uids) => {
    // A message expunged between THREAD and FETCH is simply missing from its conversation.
    const members = uids.flatMap((uid) => byUid.get(uid) ?? []);
    return members.length ? [rowOf(login, folder, uidValidity, members)] : [];
  });
  // A row shows its newest message (by date): only those previews are asked for.
  const previews = await fetchPreviews(
    client,
    rows.map((r) => r.uid),
  );
  return rows.map((r) => ({ ...r, preview: previews.get(r.uid) ?? null }));
}

/**
 * One page of a folder's conversation view: one row per conversation, newest conversation first
 * (or oldest with `order: "asc"`), paged by conversation.
 *
 * Where the server threads (THREAD=REFS or THREAD=REFERENCES, RFC 5256), it answers with the whole
 * folder's thread structure as UIDs from its own index — Letterbox reads no header to get it — and
 * only the page's conversations are fetched (their members' envelopes and flags, never a body).
 * Without THREAD, the page is the folder's date-sorted page of messages, grouped among themselves
 * by Message-ID / In-Reply-To / References: a reply whose original is on another page shows on
 * both, and `total` counts messages.
 */
export async function listConversations(
  account: MailAccount,
  input: { folder: string; page: number; pageSize: number; order?: SortOrder },
): Promise<MessagePage> {
  const order = input.order ?? "desc";
  const limits = serverConfig().listCache;
  if (limits.maxBytesPerLogin > 0) {
    const cached = await listConversationsCached(account, input, limits);
    if (cached) return cached;
  }
  const threaded = await withMailbox(account, input.folder, async ({ client, mailbox, uidValidity }) => {
    if (!threadAlgorithm(client.capabilities)) return null;
    if (input.page === 0 && order === "desc") {
      // The first page from the newest messages and their relatives (thread-newest.ts); without a
      // cache to keep the whole structure in, later pages thread the folder each time.
      const newest = await threadNewest(client, mailbox.exists, input.pageSize);
      if (newest) {
        const messages = await conversationRowsOf(client, account.login, input.folder, uidValidity, [...newest].reverse());
        return { ...conversationPage(input, { uidValidity, total: mailbox.exists, order, messages }), totalEstimated: true };
      }
    }
    const threads = (await folderThreads(client, mailbox.exists)) ?? [];
    const ordered = order === "desc" ? [...threads].reverse() : threads;
    const pageThreads = ordered.slice(input.page * input.pageSize, (input.page + 1) * input.pageSize);
    const messages = await conversationRowsOf(client, account.login, input.folder, uidValidity, pageThreads);
    return conversationPage(input, { uidValidity, total: threads.length, order, messages });
  });
  if (threaded) return threaded;

  const page = await listMessages(account, { ...input, sort: "date", order });
  const members = await withMailbox(
    account,
    input.folder,
    async ({ client }) => fetchConversationMembers(client, page.messages.map((m) => m.uid), new Set()),
    { expectedUidValidity: page.uidValidity },
  );
  const byKey = new Map(members.map((m) => [m.headers.key, m]));
  // listMessages fetched the previews already.
  const previews = new Map(page.messages.map((m) => [m.uid, m.preview]));
  const ordered = page.messages.flatMap((m) => byKey.get(String(m.uid)) ?? []);
  const rows = groupByHeaders(ordered.map((m) => m.headers)).map((keys) =>
    rowOf(
      account.login,
      input.folder,
      page.uidValidity,
      keys.map((k) => {
        const m = byKey.get(k)!;
        return { ...m, summary: { ...m.summary, preview: previews.get(m.summary.uid) ?? null } };
      }),
    ),
  );
  // Newest conversation first within the page, also where the server could only give arrival order.
  rows.sort((a, b) => (order === "desc" ? b.date.localeCompare(a.date) : a.date.localeCompare(b.date)));
  return { ...page, messages: rows, conversations: true };
}

/**
 * The threaded view through the header cache (lib/mail/cache/cached-conversations.ts): one STATUS,
 * then the store when nothing changed. Null where the server cannot thread (the caller groups a
 * page of messages instead) or while another request writes this folder's cache. A first page
 * answered from the newest messages alone starts the whole folder's threading right after it
 * (buildThreadsLater), so the next page, and the next visit, come from the cache.
 */
export async function listConversationsCached(
  account: MailAccount,
  input: { folder: string; page: number; pageSize: number; order?: SortOrder },
  limits: CacheLimits,
  options: { wholeFolder?: boolean } = {},
): Promise<MessagePage | null> {
  const store = await getStore();
  // STATUS comes first, on a connection that has not the folder selected (sync-folder.ts).
  const statusFirst = { affinity: { path: input.folder, selected: false } };
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await withImapClient(account, async (client) => {
        if (!threadAlgorithm(client.capabilities)) return null;
        const source = openFolderSource(client, input.folder, {
          threads: (exists) => folderThreads(client, exists),
          newestThreads: (exists, count) => threadNewest(client, exists, count),
          conversationRows: (uidValidity, threads) => conversationRowsOf(client, account.login, input.folder, uidValidity, threads),
        });
        try {
          return await listConversationsThroughCache(store, account.login, source, input, limits, options);
        } finally {
          source.release();
        }
      }, statusFirst);
      if (answer?.buildLater) buildThreadsLater(account, input, limits);
      if (answer?.page) keepSelected(account, input.folder, answer.page.total);
      return answer?.page ?? null;
    } catch (error) {
      if (error instanceof FolderReplacedError && attempt < 2) continue;
      throw error;
    }
  }
}

/**
 * Threads the whole folder into the cache after a first page answered without it: on a pooled
 * connection of its own (within the session's budget), under the folder's lease (a second request
 * meanwhile lists directly instead of waiting), never holding up the answer. A failure only means
 * the next page threads the folder itself, so it is logged, not reported.
 */
function buildThreadsLater(account: MailAccount, input: { folder: string; pageSize: number }, limits: CacheLimits): void {
  void listConversationsCached(account, { folder: input.folder, page: 0, pageSize: input.pageSize, order: "desc" }, limits, { wholeFolder: true }).catch(
    (error: unknown) => console.warn(`[letterbox] threading a folder in the background failed: ${error instanceof Error ? error.message : String(error)}`),
  );
}
