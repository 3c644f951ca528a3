import "server-only";
import type { MessageFlags, MessagePage, MessageSortKey, SortOrder } from "@/lib/mail/types";
import { pagePositions } from "@/lib/mail/page-positions";
import type { Store } from "@/lib/store";
import { commitWrite, dropFolder, touchFolder, withFolderLease, type CacheLimits } from "./cache-budget";
import { FolderCache, FolderCacheWriter, sameToken, type CachedRow, type FolderMeta, type FolderToken } from "./folder-cache";

/**
 * The list's cache policy: answer a page of a folder from the store when the server confirms that
 * nothing changed, and bring the cache up to date first when something did. The server is asked
 * one cheap question per request — STATUS (UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ), no SELECT,
 * no SORT, no FETCH — so a page is never older than the request, whoever changed the folder
 * (another client, a rule, the user in another tab): a moved or deleted message is gone, new mail
 * is there, flags are the server's.
 *
 * - Same state, CONDSTORE (RFC 7162: any flag change, expunge or arrival raises HIGHESTMODSEQ):
 *   the page comes from the store alone (rows the page has never shown are fetched and kept).
 * - Changed: `UID FETCH 1:* (FLAGS) (CHANGEDSINCE <modseq>)` patches the flags of cached rows; when
 *   UIDNEXT or MESSAGES moved (a message came or went: UIDs only ascend, so both equal means the
 *   same set) each cached order is asked again (ESORT answers compactly), the rows of vanished
 *   UIDs are dropped and only order chunks that differ are rewritten.
 * - No CONDSTORE: UIDNEXT/MESSAGES as above, and the flags of the page's rows are fetched on every
 *   request (a flag change leaves no other trace).
 * - UIDVALIDITY changed (RFC 3501 §2.3.1.1): the folder's cache is dropped and built anew.
 *
 * Writes hold the folder's lease (cache-budget.ts); a request that finds it taken answers without
 * the cache (`null` here, the caller lists directly) rather than wait.
 */

/** What the policy needs from the server, on one connection (lib/mail/imap/sync-folder.ts). */
export interface FolderSource {
  /** The folder's state now (STATUS; no SELECT). */
  status(): Promise<FolderToken>;
  /** The server sorts (SORT, RFC 5256); without it every list is in arrival order. */
  readonly canSort: boolean;
  /**
   * What the server's answers mean (sort criteria such as DISPLAYFROM, the preview form): a cache
   * filled under another profile (the server was upgraded or replaced) is dropped like one of
   * another UIDVALIDITY.
   */
  readonly profile: string;
  /** The whole folder's UIDs in ascending order of `key` ("arrival" = UID order). */
  order(key: MessageSortKey): Promise<number[]>;
  /** Flags changed since `modseq` (CHANGEDSINCE, RFC 7162), or null when the connection cannot ask. */
  changedFlags(modseq: string): Promise<Map<number, MessageFlags> | null>;
  /** Current flags of `uids` (missing: expunged). */
  flags(uids: number[]): Promise<Map<number, MessageFlags>>;
  /** Rows of `uids`: envelope, flags, size, attachment mark, preview (missing: expunged). */
  rows(uids: number[]): Promise<CachedRow[]>;
}

export interface CachedListInput {
  folder: string;
  page: number;
  pageSize: number;
  sort?: MessageSortKey;
  order?: SortOrder;
}

/** Beyond this many changed flags the rows are dropped and refetched page by page instead. */
const MAX_FLAG_PATCH = 5000;

function pageOf(input: CachedListInput, meta: FolderMeta, sort: MessageSortKey, order: SortOrder, rows: CachedRow[]): MessagePage {
  return {
    folder: input.folder,
    uidValidity: meta.uidValidity,
    total: meta.orders[sort] ?? 0,
    page: input.page,
    pageSize: input.pageSize,
    sort,
    order,
    messages: rows,
    fromCache: true,
  };
}

/** The page's UIDs in display order, or null when the cache cannot say (a chunk missing). */
async function pageUids(cache: FolderCache, meta: FolderMeta, sort: MessageSortKey, order: SortOrder, input: CachedListInput): Promise<number[] | null> {
  const positions = pagePositions(meta.orders[sort] ?? 0, input.page, input.pageSize, order);
  if (!positions) return [];
  const uids = await cache.orderSlice(meta, sort, positions.from, positions.to);
  if (uids && order === "desc") uids.reverse();
  return uids;
}

/** Brings `writer`'s folder from the state `before` to `now`. */
async function sync(writer: FolderCacheWriter, source: FolderSource, before: FolderToken, now: FolderToken): Promise<void> {
  if (before.highestModseq !== null && now.highestModseq !== null && before.highestModseq !== now.highestModseq) {
    const changed = await source.changedFlags(before.highestModseq);
    if (changed === null || changed.size > MAX_FLAG_PATCH) await writer.clearRows();
    else await writer.updateFlags(changed);
  }
  if (before.uidNext === now.uidNext && before.messages === now.messages) return;
  const vanished = new Set<number>();
  for (const key of Object.keys(writer.meta.orders) as MessageSortKey[]) {
    const previous = await writer.cache.wholeOrder(writer.meta, key);
    const next = await source.order(key);
    const present = new Set(next);
    for (const uid of previous ?? []) if (!present.has(uid)) vanished.add(uid);
    await writer.writeOrder(key, next, previous);
  }
  await writer.deleteRows([...vanished]);
}

/**
 * Under the folder's lease: the cache brought to the server's state `token` — dropped when the
 * folder was replaced or the server's profile changed, caught up when the state moved.
 */
export async function openWriter(cache: FolderCache, source: FolderSource, token: FolderToken): Promise<FolderCacheWriter> {
  let meta = await cache.meta();
  if (meta && (meta.uidValidity !== token.uidValidity || meta.profile !== source.profile)) {
    // Every UID the cache holds may now name another message (RFC 3501 §2.3.1.1), or its
    // orders and previews mean something else.
    await dropFolder(cache.store, cache.login, cache.folder, meta);
    meta = null;
  }
  const writer = new FolderCacheWriter(cache, meta ?? { uidValidity: token.uidValidity, profile: source.profile, token, orders: {}, bytes: 0 });
  if (meta && !sameToken(meta.token, token)) {
    await writer.dropConversations();
    await sync(writer, source, meta.token, token);
  }
  return writer;
}

/**
 * One page of a folder through the cache, or null when the cache cannot serve it right now (its
 * writer lease is taken): then the caller lists the folder directly.
 */
export async function listThroughCache(
  store: Store,
  login: string,
  source: FolderSource,
  input: CachedListInput,
  limits: CacheLimits,
): Promise<MessagePage | null> {
  const order = input.order ?? "desc";
  const wanted = input.sort ?? "date";
  const sort: MessageSortKey = wanted !== "arrival" && source.canSort ? wanted : "arrival";
  const cache = new FolderCache(store, login, input.folder);
  const [token, cached] = await Promise.all([source.status(), cache.meta()]);

  // Warm: the server's state is the cached one, and CONDSTORE vouches for the flags too.
  if (cached && cached.profile === source.profile && sameToken(cached.token, token) && token.highestModseq !== null && cached.orders[sort] !== undefined) {
    const uids = await pageUids(cache, cached, sort, order, input);
    const rows = uids && (await cache.rows(cached, uids));
    if (rows && rows.every((r) => r !== null)) {
      await touchFolder(store, login, input.folder, cached.bytes);
      return pageOf(input, cached, sort, order, rows as CachedRow[]);
    }
  }

  return withFolderLease(store, login, input.folder, async () => {
    const writer = await openWriter(cache, source, token);
    if (writer.meta.orders[sort] === undefined) await writer.writeOrder(sort, await source.order(sort), null);

    const uids = (await pageUids(cache, writer.meta, sort, order, input)) ?? [];
    const found = await cache.rows(writer.meta, uids);
    const missing = uids.filter((_, i) => found[i] === null);
    const fetched = new Map((missing.length ? await source.rows(missing) : []).map((row) => [row.uid, row]));
    await writer.addRows([...fetched.values()]);
    let rows = uids.flatMap((uid, i) => found[i] ?? fetched.get(uid) ?? []);

    if (token.highestModseq === null) {
      // Without CONDSTORE nothing tells of a flag change: the page's own flags are asked each time.
      const cachedUids = uids.filter((_, i) => found[i] !== null);
      const current = cachedUids.length ? await source.flags(cachedUids) : new Map<number, MessageFlags>();
      const changed = new Map([...current].filter(([uid, flags]) => !sameFlags(flags, found[uids.indexOf(uid)]?.flags)));
      await writer.updateFlags(changed);
      // A cached row without flags now was expunged after the order was read: not shown.
      rows = rows.filter((row) => !cachedUids.includes(row.uid) || current.has(row.uid)).map((row) => (changed.has(row.uid) ? { ...row, flags: changed.get(row.uid)! } : row));
    }
    writer.meta = { ...writer.meta, token };
    await commitWrite(writer, limits);
    return { ...pageOf(input, writer.meta, sort, order, rows), fromCache: missing.length === 0 };
  });
}

function sameFlags(a: MessageFlags, b: MessageFlags | undefined): boolean {
  return !!b && a.seen === b.seen && a.flagged === b.flagged && a.answered === b.answered && a.draft === b.draft;
}
