import "server-only";
import type { MessageFlags, MessagePage, MessageSortKey, SortOrder } from "@/lib/mail/types";
import { pagePositions } from "@/lib/mail/page-positions";
import type { Store } from "@/lib/store";
import { commitWrite, dropFolder, touchFolder, withFolderLease, type CacheLimits } from "./cache-budget";
import { FolderCache, FolderCacheWriter, LAYOUT, ORDER_CHUNK, sameToken, type CachedRow, type FolderMeta, type FolderToken, type UidRange } from "./folder-cache";

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
 * - Changed, QRESYNC (RFC 7162 §3.2.6): one `UID FETCH 1:* (FLAGS) (CHANGEDSINCE <modseq> VANISHED)`
 *   tells the flag changes, the UIDs expunged since (VANISHED (EARLIER)) and, by their FETCH, the
 *   messages that arrived (UIDs from the cached UIDNEXT on). Expunged UIDs leave the chunks whose
 *   UID range holds them; arrivals are placed by the server's own comparator, asked over a few
 *   UIDs only: one SORT of the chunks' last UIDs plus the arrivals says which chunk each lands in,
 *   one SORT of that chunk plus its arrivals says where (RFC 5256 sorts ties by sequence number,
 *   i.e. by UID, so a subset keeps its relative order in the whole). Cost: the changes and a
 *   chunk, not the folder. Anything that does not add up (a chunk missing, a SORT answer that is
 *   not the set asked, the lengths against STATUS MESSAGES) falls back to the path below.
 * - Changed, CONDSTORE only: `UID FETCH 1:* (FLAGS) (CHANGEDSINCE <modseq>)` patches the flags of
 *   cached rows; when UIDNEXT or MESSAGES moved (a message came or went: UIDs only ascend, so both
 *   equal means the same set) each cached order is asked again (ESORT answers compactly), the rows
 *   of vanished UIDs are dropped and only order chunks that differ are rewritten.
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
  /**
   * With QRESYNC (RFC 7162 §3.2.6), in one round trip: the flags of every message changed or added
   * since `modseq` and the UIDs expunged since (ascending ranges); null when the connection cannot ask.
   */
  changesSince?(modseq: string): Promise<FolderChanges | null>;
  /** `uids` in ascending order of `key` as the server sorts them (SORT over a UID set; only with canSort). */
  sortSome(key: Exclude<MessageSortKey, "arrival">, uids: readonly number[]): Promise<number[]>;
  /** Current flags of `uids` (missing: expunged). */
  flags(uids: number[]): Promise<Map<number, MessageFlags>>;
  /** Rows of `uids`: envelope, flags, size, attachment mark, preview (missing: expunged). */
  rows(uids: number[]): Promise<CachedRow[]>;
}

export interface FolderChanges {
  flags: Map<number, MessageFlags>;
  vanished: UidRange[];
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
/** Beyond this many arrivals at once one SORT of the whole folder costs less than placing each. */
const MAX_MERGED_ARRIVALS = 2000;

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
  let changes: FolderChanges | null = null;
  if (before.highestModseq !== null && now.highestModseq !== null && before.highestModseq !== now.highestModseq) {
    changes = source.changesSince ? await source.changesSince(before.highestModseq) : null;
    const changed = changes ? changes.flags : await source.changedFlags(before.highestModseq);
    // UIDs from the old UIDNEXT on are new messages, not changed rows: their rows come with their page.
    const known = changed && new Map([...changed].filter(([uid]) => uid < before.uidNext));
    if (known === null || known.size > MAX_FLAG_PATCH) await writer.clearRows();
    else await writer.updateFlags(known);
  }
  if (before.uidNext === now.uidNext && before.messages === now.messages) return;
  if (changes) {
    const arrived = [...changes.flags.keys()].filter((uid) => uid >= before.uidNext && uid < now.uidNext).sort((a, b) => a - b);
    if (arrived.length <= MAX_MERGED_ARRIVALS && (await mergeChanges(writer, source, changes.vanished, arrived, now.messages))) return;
  }
  await reaskOrders(writer, source, Object.keys(writer.meta.orders) as MessageSortKey[]);
}

/** Asks the server for each of `keys`' whole order again; the rows of UIDs gone from them are dropped. */
async function reaskOrders(writer: FolderCacheWriter, source: FolderSource, keys: MessageSortKey[]): Promise<void> {
  const vanished = new Set<number>();
  for (const key of keys) {
    const previous = await writer.cache.wholeOrder(writer.meta, key);
    const next = await source.order(key);
    const present = new Set(next);
    for (const uid of previous ?? []) if (!present.has(uid)) vanished.add(uid);
    await writer.writeOrder(key, next, previous);
  }
  await writer.deleteRows([...vanished]);
}

/**
 * The QRESYNC path: `vanished` leave every order, `arrived` (ascending UIDs) are placed into it.
 * False when the result cannot be trusted (a chunk missing, the lengths not what STATUS said): the
 * caller then asks every order again, which also repairs whatever was done here.
 */
async function mergeChanges(writer: FolderCacheWriter, source: FolderSource, vanished: UidRange[], arrived: number[], messages: number): Promise<boolean> {
  const keys = Object.keys(writer.meta.orders) as MessageSortKey[];
  const removed = new Set<number>();
  for (const key of keys) {
    const gone = await writer.removeFromOrder(key, vanished);
    if (gone === null) return false;
    for (const uid of gone) removed.add(uid);
  }
  await writer.deleteRows([...removed]);
  for (const key of keys) {
    const placed = key === "arrival" ? await appendArrivals(writer, arrived) : source.canSort && (await placeArrivals(writer, source, key, arrived));
    // An order that cannot be merged exactly is asked again, alone.
    if (!placed) await reaskOrders(writer, source, [key]);
    if (writer.meta.orders[key] !== messages) return false;
  }
  return true;
}

/** Arrival order is UID order, and new UIDs are higher than every cached one: they go at the end. */
async function appendArrivals(writer: FolderCacheWriter, arrived: number[]): Promise<boolean> {
  if (arrived.length === 0) return true;
  const last = (writer.meta.chunks.arrival ?? []).length - 1;
  const tail = last >= 0 ? await writer.readChunk("arrival", last) : [];
  if (tail === null) return false;
  await writer.replaceChunk("arrival", Math.max(last, 0), [...tail, ...arrived]);
  return true;
}

const sameSet = (a: readonly number[], b: readonly number[]) => a.length === b.length && new Set([...a, ...b]).size === a.length;

/**
 * Places `arrived` into the cached order of `key` where the server's SORT puts them, asking it
 * only about a few UIDs: first the arrivals among the last UID of every chunk (which chunk each
 * lands in), then each chunk that receives some, whole, with its arrivals (where within it). Ties
 * (RFC 5256: equal keys sort by sequence number, so by UID) are the server's to break either way.
 * False when the server's answer does not fit the cache (a message expunged meanwhile, or fences
 * out of their cached order): the caller asks the whole order instead.
 */
async function placeArrivals(writer: FolderCacheWriter, source: FolderSource, key: Exclude<MessageSortKey, "arrival">, arrived: number[]): Promise<boolean> {
  if (arrived.length === 0) return true;
  const refs = writer.meta.chunks[key] ?? [];
  if (refs.length === 0) {
    const sorted = await source.sortSome(key, arrived);
    if (!sameSet(sorted, arrived)) return false;
    await writer.replaceChunk(key, 0, sorted);
    return true;
  }
  const fences = refs.map((ref) => ref[5]);
  const fenceIndex = new Map(fences.map((uid, i) => [uid, i]));
  const answer = await source.sortSome(key, [...fences, ...arrived]);
  if (!sameSet(answer, [...fences, ...arrived])) return false;
  // Chunk i ends with fence i: an arrival sorted before fence i (and after fence i-1) belongs in it;
  // after the last fence, at the end of the last chunk.
  const into = new Map<number, number[]>();
  let passed = 0;
  let tail: number[] = [];
  for (const uid of answer) {
    const fence = fenceIndex.get(uid);
    if (fence !== undefined) {
      if (fence !== passed) return false;
      passed++;
    } else if (passed < fences.length) into.set(passed, [...(into.get(passed) ?? []), uid]);
    else tail.push(uid);
  }
  const lastIndex = refs.length - 1;
  if (tail.length && into.has(lastIndex)) {
    into.set(lastIndex, [...into.get(lastIndex)!, ...tail]);
    tail = [];
  }
  // From the end, so that a chunk split in two leaves the earlier indexes as they were.
  if (tail.length) {
    const chunk = await writer.readChunk(key, lastIndex);
    if (!chunk) return false;
    await writer.replaceChunk(key, lastIndex, [...chunk, ...tail]);
  }
  for (const index of [...into.keys()].sort((a, b) => b - a)) {
    const chunk = await writer.readChunk(key, index);
    if (!chunk) return false;
    const wanted = [...chunk, ...into.get(index)!];
    const sorted = await source.sortSome(key, wanted);
    if (!sameSet(sorted, wanted)) return false;
    await writer.replaceChunk(key, index, sorted);
  }
  return true;
}

/**
 * Under the folder's lease: the cache brought to the server's state `token` — dropped when the
 * folder was replaced or the server's profile changed, caught up when the state moved.
 */
export async function openWriter(cache: FolderCache, source: FolderSource, token: FolderToken, chunkSize = ORDER_CHUNK): Promise<FolderCacheWriter> {
  let meta = await cache.meta();
  if (meta && (meta.uidValidity !== token.uidValidity || meta.profile !== source.profile || meta.layout !== LAYOUT)) {
    // Every UID the cache holds may now name another message (RFC 3501 §2.3.1.1), or its
    // orders and previews mean something else, or it was laid out by another version.
    await dropFolder(cache.store, cache.login, cache.folder, meta);
    meta = null;
  }
  const writer = new FolderCacheWriter(
    cache,
    meta ?? { uidValidity: token.uidValidity, profile: source.profile, token, orders: {}, layout: LAYOUT, chunks: {}, nextChunk: 0, bytes: 0 },
    chunkSize,
  );
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
  if (cached && cached.profile === source.profile && cached.layout === LAYOUT && sameToken(cached.token, token) && token.highestModseq !== null && cached.orders[sort] !== undefined) {
    const uids = await pageUids(cache, cached, sort, order, input);
    const rows = uids && (await cache.rows(cached, uids));
    if (rows && rows.every((r) => r !== null)) {
      await touchFolder(store, login, input.folder, cached.bytes);
      return pageOf(input, cached, sort, order, rows as CachedRow[]);
    }
  }

  return withFolderLease(store, login, input.folder, async () => {
    const writer = await openWriter(cache, source, token, limits.orderChunk);
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
