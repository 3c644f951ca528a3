import "server-only";
import type { MessagePage, MessageSummary, SortOrder } from "@/lib/mail/types";
import type { Store } from "@/lib/store";
import { commitWrite, touchFolder, withFolderLease, type CacheLimits } from "./cache-budget";
import { openWriter, type FolderSource } from "./cached-list";
import { FolderCache, sameToken, type FolderMeta } from "./folder-cache";
import { conversationPage } from "@/lib/mail/conversations/conversation-page";
import { pagePositions } from "@/lib/mail/page-positions";

/**
 * The conversation view through the header cache: the same one STATUS decides as for the message
 * list (cached-list.ts). Kept: the folder's thread structure as the server's THREAD gave it
 * (oldest conversation first, chunks of 1,000) and the rows of the conversations shown. Any change
 * to the folder drops the threaded view (a new message or a flag may regroup conversations or
 * change a row's unread state), and the next request threads again; the message rows and orders
 * are caught up as usual. Only with CONDSTORE, where HIGHESTMODSEQ vouches for every flag; without
 * it the view is not cached.
 */
export interface ConversationSource extends FolderSource {
  /** The whole folder's conversations (THREAD), oldest first by newest arrival; null without THREAD. */
  threads(): Promise<number[][] | null>;
  /**
   * The folder's `count` newest conversations, oldest of them first, without threading the whole
   * folder (lib/mail/imap/thread-newest.ts); null where that is not cheaper or not possible.
   */
  newestThreads?(count: number): Promise<number[][] | null>;
  /** One row per conversation, in the order given. */
  conversationRows(threads: number[][]): Promise<MessageSummary[]>;
}

/**
 * What the cache answered: the page, and whether the folder's whole thread structure is still to be
 * built (the first page came from the newest messages alone; the caller builds it after answering).
 */
export interface ConversationAnswer {
  page: MessagePage;
  buildLater: boolean;
}

const keyOf = (thread: readonly number[]) => String(Math.max(...thread));

async function pageThreads(cache: FolderCache, meta: FolderMeta, order: SortOrder, input: { page: number; pageSize: number }): Promise<number[][] | null> {
  const positions = pagePositions(meta.threads ?? 0, input.page, input.pageSize, order);
  if (!positions) return [];
  const threads = await cache.threadSlice(meta, positions.from, positions.to);
  if (threads && order === "desc") threads.reverse();
  return threads;
}

/**
 * One page of a folder's conversations through the cache; null when the cache cannot serve it
 * (no CONDSTORE, no THREAD, or another request is writing the folder's cache).
 */
export async function listConversationsThroughCache(
  store: Store,
  login: string,
  source: ConversationSource,
  input: { folder: string; page: number; pageSize: number; order?: SortOrder },
  limits: CacheLimits,
  options: { wholeFolder?: boolean } = {},
): Promise<ConversationAnswer | null> {
  const order = input.order ?? "desc";
  const cache = new FolderCache(store, login, input.folder);
  const [token, cached] = await Promise.all([source.status(), cache.meta()]);
  if (token.highestModseq === null) return null;
  const pageOf = (meta: FolderMeta, messages: MessageSummary[], fromCache: boolean): MessagePage =>
    conversationPage(input, { uidValidity: meta.uidValidity, total: meta.threads ?? 0, order, messages, fromCache });

  if (cached && cached.profile === source.profile && sameToken(cached.token, token) && cached.threads !== undefined) {
    const threads = await pageThreads(cache, cached, order, input);
    const rows = threads && (await cache.conversationRows(cached, threads.map(keyOf)));
    if (rows && rows.every((r) => r !== null)) {
      await touchFolder(store, login, input.folder, cached.bytes);
      return { page: pageOf(cached, rows as MessageSummary[], true), buildLater: false };
    }
  }

  // The first page, newest first, while the folder's structure is not known: from the newest
  // messages and their relatives, never waiting for the whole folder's THREAD (issue 11). Nothing
  // is cached from it; the whole structure is built after the answer (buildLater) and serves every
  // page from then on. `total` is then the folder's message count, an upper bound, and says so.
  const structureKnown = cached && cached.profile === source.profile && sameToken(cached.token, token) && cached.threads !== undefined;
  if (!structureKnown && !options.wholeFolder && input.page === 0 && order === "desc" && source.newestThreads) {
    const newest = await source.newestThreads(input.pageSize);
    if (newest) {
      const messages = await source.conversationRows([...newest].reverse());
      const page = conversationPage(input, { uidValidity: token.uidValidity, total: token.messages, order, messages, fromCache: false });
      return { page: { ...page, totalEstimated: true }, buildLater: true };
    }
  }

  const answer = await withFolderLease(store, login, input.folder, async () => {
    const writer = await openWriter(cache, source, token);
    if (writer.meta.threads === undefined) {
      const threads = await source.threads();
      if (threads === null) return "no-thread" as const;
      await writer.writeThreads(threads);
    }
    const threads = (await pageThreads(cache, writer.meta, order, input)) ?? [];
    const keys = threads.map(keyOf);
    const found = await cache.conversationRows(writer.meta, keys);
    const missing = threads.filter((_, i) => found[i] === null);
    const fetched = missing.length ? await source.conversationRows(missing) : [];
    // conversationRowsOf leaves out a conversation whose every member vanished meanwhile.
    const byKey = new Map(fetched.map((row) => [String(Math.max(...(row.conversation?.uids ?? [row.uid]))), row]));
    await writer.addConversationRows([...byKey].map(([key, row]) => ({ key, row })));
    const rows = keys.flatMap((key, i) => found[i] ?? byKey.get(key) ?? []);
    writer.meta = { ...writer.meta, token };
    await commitWrite(writer, limits);
    return { page: pageOf(writer.meta, rows, missing.length === 0), buildLater: false };
  });
  return answer === "no-thread" ? null : answer;
}
