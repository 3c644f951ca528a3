import "server-only";
import type { MessageFlags, MessageSortKey, MessageSummary } from "@/lib/mail/types";
import type { Store } from "@/lib/store";
import { decodeUidRuns, encodeUidRuns } from "./uid-runs";

/**
 * One folder's list cache in the store (lib/store: SQLite or Redis), per login and keyed by
 * UIDVALIDITY. Laid out so that reading page 1 or page 1,000 of a 100,000-message folder costs the
 * same few reads:
 *
 * - `mc:meta:<login>/<folder>` (kv): UIDVALIDITY, the state it was taken at (UIDNEXT, MESSAGES,
 *   HIGHESTMODSEQ), which orders are cached and their lengths, the bytes it holds.
 * - `mc:order:<login>/<folder>/<uidvalidity>/<key>` (records): the folder's UIDs in the server's
 *   ascending order for one sort key (SORT, RFC 5256; "arrival" = UID order), in chunks of about
 *   1,000 UIDs, each compact text (uid-runs.ts). The meta lists each order's chunks in order with
 *   their length, lowest, highest and last UID (`ChunkRef`), so a page finds its one or two chunks
 *   by adding lengths, an expunged UID is looked for only in the chunks whose UID range holds it,
 *   and a new message changes only the chunk it lands in (split in two past 2,000): the cost of a
 *   change does not grow with the folder. A chunk is never rewritten in place: a changed one is
 *   written under a new record id and the old one deleted, so a reader holding the previous meta
 *   finds its chunk either as it was or missing (and goes to the write path), never reshaped.
 * - `mc:rows:<login>/<folder>/<uidvalidity>` (records): one row per UID, what the list shows
 *   (flags, sender, recipients, subject, date, size, attachment mark, preview); its sort key is
 *   when it was cached, so an oversized folder sheds its oldest rows first.
 *
 * The UIDVALIDITY in the collections' names means a folder recreated on the server can never be
 * answered from its predecessor's rows. Writers hold the folder's lease (cache-budget.ts), so the
 * meta's byte count stays exact, and write the meta last. Readers take no lock: they trust the
 * cache only when the server's STATUS equals the meta's state, so a writer busy meanwhile can only
 * be bringing it to a state at least as new as that request; a chunk or row found missing
 * (evicted, being replaced) sends the reader to the write path.
 */

export const ORDER_CHUNK = 1000;
/** The store layout's version: a meta written by another (an older Letterbox) is dropped, not read. */
export const LAYOUT = 2;

/** One chunk of an order: record id, how many UIDs, lowest UID, highest UID, bytes, last UID in order. */
export type ChunkRef = [id: number, count: number, low: number, high: number, bytes: number, last: number];
/** Inclusive UID ranges, ascending and disjoint (a VANISHED set, RFC 7162 §3.2.10). */
export type UidRange = readonly [number, number];

/** The server's state a cache was taken at: equal tokens mean nothing changed (RFC 7162 §3.1.2.1). */
export interface FolderToken {
  uidValidity: string;
  uidNext: number;
  messages: number;
  /** HIGHESTMODSEQ (CONDSTORE, RFC 7162) as a decimal string (it may exceed 2^53); null without it. */
  highestModseq: string | null;
}

export interface FolderMeta {
  uidValidity: string;
  /** The server's profile the cache was filled under (FolderSource.profile). */
  profile: string;
  token: FolderToken;
  /** Cached orders and how many UIDs each holds. */
  orders: Partial<Record<MessageSortKey, number>>;
  /** LAYOUT when written by this version. */
  layout: number;
  /** Each cached order's chunks, in order. */
  chunks: Partial<Record<MessageSortKey, ChunkRef[]>>;
  /** The next chunk record id (ids are never reused). */
  nextChunk: number;
  /** Approximate bytes of every order chunk and row (their JSON), for the caps. */
  bytes: number;
  /** The threaded view, when cached: how many conversations, and the bytes it holds (part of `bytes`). */
  threads?: number;
  threadBytes?: number;
}

/** A cached row: the list's summary of one message (never a search or conversation field). */
export type CachedRow = Omit<MessageSummary, "folder" | "uidValidity" | "conversation">;

const enc = encodeURIComponent;
export const folderId = (login: string, folder: string) => `${enc(login.toLowerCase())}/${enc(folder)}`;
export const metaKey = (login: string, folder: string) => `mc:meta:${folderId(login, folder)}`;
export const orderCollection = (login: string, folder: string, uidValidity: string, key: MessageSortKey) =>
  `mc:order:${folderId(login, folder)}/${uidValidity}/${key}`;
export const rowsCollection = (login: string, folder: string, uidValidity: string) => `mc:rows:${folderId(login, folder)}/${uidValidity}`;
/** The threaded view: conversations (THREAD) in chunks of 1,000, each conversation's UIDs as runs, ";" between. */
export const threadsCollection = (login: string, folder: string, uidValidity: string) => `mc:threads:${folderId(login, folder)}/${uidValidity}`;
/** The threaded view's rows, keyed by the conversation's highest UID. */
export const conversationsCollection = (login: string, folder: string, uidValidity: string) => `mc:conv:${folderId(login, folder)}/${uidValidity}`;

const size = (value: unknown) => JSON.stringify(value).length;
const chunkId = (n: number) => String(n);

export function sameToken(a: FolderToken, b: FolderToken): boolean {
  return a.uidValidity === b.uidValidity && a.uidNext === b.uidNext && a.messages === b.messages && a.highestModseq === b.highestModseq;
}

/** Reads of one folder's cache; no lock needed. */
export class FolderCache {
  constructor(
    readonly store: Store,
    readonly login: string,
    readonly folder: string,
  ) {}

  meta(): Promise<FolderMeta | null> {
    return this.store.kv.get<FolderMeta>(metaKey(this.login, this.folder));
  }

  /**
   * UIDs at positions `from`..`to` (1-based, ascending order of `key`), or null when a chunk is
   * missing (evicted or being replaced meanwhile): the caller then asks the server.
   */
  async orderSlice(meta: FolderMeta, key: MessageSortKey, from: number, to: number): Promise<number[] | null> {
    const refs = meta.chunks?.[key];
    if (meta.orders[key] === undefined || !refs) return null;
    const ids: string[] = [];
    let offset = -1;
    let start = 0;
    for (const ref of refs) {
      const end = start + ref[1];
      if (end >= from && start < to) {
        if (offset < 0) offset = start;
        ids.push(chunkId(ref[0]));
      }
      if (end >= to) break;
      start = end;
    }
    if (ids.length === 0) return null;
    const chunks = await this.store.records.getMany<string>(orderCollection(this.login, this.folder, meta.uidValidity, key), ids);
    const uids: number[] = [];
    for (const chunk of chunks) {
      if (!chunk) return null;
      uids.push(...decodeUidRuns(chunk.value));
    }
    const slice = uids.slice(from - 1 - offset, to - offset);
    return slice.length === to - from + 1 ? slice : null;
  }

  /** The whole of one cached order (for a sync's comparison), or null when incomplete. */
  async wholeOrder(meta: FolderMeta, key: MessageSortKey): Promise<number[] | null> {
    const length = meta.orders[key];
    if (length === undefined) return null;
    if (length === 0) return [];
    return this.orderSlice(meta, key, 1, length);
  }

  /** Conversations at positions `from`..`to` (1-based, oldest conversation first), or null when a chunk is missing. */
  async threadSlice(meta: FolderMeta, from: number, to: number): Promise<number[][] | null> {
    if (meta.threads === undefined) return null;
    const first = Math.floor((from - 1) / ORDER_CHUNK);
    const last = Math.floor((to - 1) / ORDER_CHUNK);
    const ids: string[] = [];
    for (let n = first; n <= last; n++) ids.push(chunkId(n));
    const chunks = await this.store.records.getMany<string>(threadsCollection(this.login, this.folder, meta.uidValidity), ids);
    const threads: number[][] = [];
    for (const chunk of chunks) {
      if (!chunk) return null;
      threads.push(...(chunk.value ? chunk.value.split(";").map(decodeUidRuns) : []));
    }
    const offset = first * ORDER_CHUNK;
    const slice = threads.slice(from - 1 - offset, to - offset);
    return slice.length === to - from + 1 ? slice : null;
  }

  async conversationRows(meta: FolderMeta, keys: readonly string[]): Promise<(MessageSummary | null)[]> {
    const found = await this.store.records.getMany<MessageSummary>(conversationsCollection(this.login, this.folder, meta.uidValidity), keys);
    return found.map((r) => r?.value ?? null);
  }

  async rows(meta: FolderMeta, uids: readonly number[]): Promise<(CachedRow | null)[]> {
    const found = await this.store.records.getMany<CachedRow>(rowsCollection(this.login, this.folder, meta.uidValidity), uids.map(String));
    return found.map((r) => r?.value ?? null);
  }
}

/**
 * Writes to one folder's cache, done while holding its lease. Byte changes add up here and are
 * recorded with the meta in `commit`, so the meta, the LRU records and the global counter agree.
 */
export class FolderCacheWriter {
  delta = 0;

  constructor(
    readonly cache: FolderCache,
    public meta: FolderMeta,
    /** UIDs per order chunk when one is written (smaller in tests, to exercise many chunks). */
    private readonly chunkSize = ORDER_CHUNK,
  ) {}

  private get store() {
    return this.cache.store;
  }
  private get login() {
    return this.cache.login;
  }
  private get folder() {
    return this.cache.folder;
  }

  /**
   * Replaces the order of `key` with `uids` (ascending), e.g. as the server's SORT answered it.
   * Chunks equal to what is stored (`previous`, the order as cached) are kept as they are: after
   * new mail only the last chunk of a date order usually changes.
   */
  async writeOrder(key: MessageSortKey, uids: readonly number[], previous: readonly number[] | null): Promise<void> {
    const collection = orderCollection(this.login, this.folder, this.meta.uidValidity, key);
    const old = previous ? (this.meta.chunks[key] ?? []) : [];
    let at = 0;
    const oldTexts = old.map((ref) => encodeUidRuns(previous!.slice(at, (at += ref[1]))));
    const refs: ChunkRef[] = [];
    const writes: { id: string; value: string }[] = [];
    for (let start = 0, n = 0; start < uids.length; start += this.chunkSize, n++) {
      const piece = uids.slice(start, start + this.chunkSize);
      const text = encodeUidRuns(piece);
      if (old[n] && oldTexts[n] === text) refs.push(old[n]!);
      else refs.push(this.newChunk(piece, text, writes));
    }
    if (!previous) {
      // Nothing to keep (a new order, or the cached one unreadable): whatever the collection holds goes.
      await this.store.records.clear(collection);
      this.delta -= (this.meta.chunks[key] ?? []).reduce((sum, ref) => sum + ref[4], 0);
    }
    const kept = new Set(refs);
    const stale = old.filter((ref) => !kept.has(ref));
    await this.store.records.putMany(collection, writes);
    await this.store.records.deleteMany(collection, stale.map((ref) => chunkId(ref[0])));
    this.delta -= stale.reduce((sum, ref) => sum + ref[4], 0);
    this.setChunks(key, refs);
  }

  /** The UIDs of chunk `index` of the order of `key`, or null when it is missing. */
  async readChunk(key: MessageSortKey, index: number): Promise<number[] | null> {
    const ref = this.meta.chunks[key]?.[index];
    if (!ref) return null;
    const [record] = await this.store.records.getMany<string>(orderCollection(this.login, this.folder, this.meta.uidValidity, key), [chunkId(ref[0])]);
    const uids = record ? decodeUidRuns(record.value) : null;
    return uids && uids.length === ref[1] ? uids : null;
  }

  /**
   * Replaces chunk `index` of the order of `key` by `uids` (in order): written under a new id,
   * split when it grew past twice the chunk size, dropped when empty. `index` equal to the number
   * of chunks adds a chunk at the end.
   */
  async replaceChunk(key: MessageSortKey, index: number, uids: readonly number[]): Promise<void> {
    const collection = orderCollection(this.login, this.folder, this.meta.uidValidity, key);
    const refs = [...(this.meta.chunks[key] ?? [])];
    const old = refs[index];
    const writes: { id: string; value: string }[] = [];
    const pieces: ChunkRef[] = [];
    const step = uids.length > 2 * this.chunkSize ? this.chunkSize : Math.max(uids.length, 1);
    for (let start = 0; start < uids.length; start += step) {
      const piece = uids.slice(start, start + step);
      pieces.push(this.newChunk(piece, encodeUidRuns(piece), writes));
    }
    await this.store.records.putMany(collection, writes);
    if (old) {
      await this.store.records.deleteMany(collection, [chunkId(old[0])]);
      this.delta -= old[4];
    }
    refs.splice(index, old ? 1 : 0, ...pieces);
    this.setChunks(key, refs);
  }

  /**
   * Removes the UIDs within `ranges` from the order of `key`, reading only the chunks whose UID
   * range overlaps one of them. The UIDs removed, or null when a chunk is missing. A chunk left
   * with a quarter of its size or less is merged with the next one (up to twice the size), so a
   * folder emptied by many expunges does not end up read through hundreds of tiny chunks.
   */
  async removeFromOrder(key: MessageSortKey, ranges: readonly UidRange[]): Promise<number[] | null> {
    const removed: number[] = [];
    const refs = this.meta.chunks[key] ?? [];
    // From the end, so that replacing (or dropping, or merging with the next) a chunk leaves the
    // earlier indexes as they were.
    for (let index = refs.length - 1; index >= 0; index--) {
      const ref = refs[index]!;
      if (!ranges.some(([low, high]) => low <= ref[3] && ref[2] <= high)) continue;
      const uids = await this.readChunk(key, index);
      if (!uids) return null;
      const kept = uids.filter((uid) => !inRanges(uid, ranges));
      if (kept.length === uids.length) continue;
      removed.push(...uids.filter((uid) => inRanges(uid, ranges)));
      const small = kept.length <= this.chunkSize / 4 && index + 1 < (this.meta.chunks[key]?.length ?? 0);
      const next = small ? await this.readChunk(key, index + 1) : null;
      if (next && kept.length + next.length <= 2 * this.chunkSize) {
        await this.replaceChunk(key, index + 1, []);
        await this.replaceChunk(key, index, [...kept, ...next]);
      } else {
        await this.replaceChunk(key, index, kept);
      }
    }
    return removed;
  }

  private newChunk(uids: readonly number[], text: string, writes: { id: string; value: string }[]): ChunkRef {
    const id = this.meta.nextChunk;
    this.meta = { ...this.meta, nextChunk: id + 1 };
    writes.push({ id: chunkId(id), value: text });
    const bytes = size(text);
    this.delta += bytes;
    let low = uids[0]!;
    let high = uids[0]!;
    for (const uid of uids) {
      if (uid < low) low = uid;
      if (uid > high) high = uid;
    }
    return [id, uids.length, low, high, bytes, uids[uids.length - 1]!];
  }

  private setChunks(key: MessageSortKey, refs: ChunkRef[]): void {
    const length = refs.reduce((sum, ref) => sum + ref[1], 0);
    this.meta = { ...this.meta, orders: { ...this.meta.orders, [key]: length }, chunks: { ...this.meta.chunks, [key]: refs } };
  }

  /** Stores the threaded view's structure (oldest conversation first). */
  async writeThreads(threads: readonly number[][]): Promise<void> {
    const collection = threadsCollection(this.login, this.folder, this.meta.uidValidity);
    const chunks: { id: string; value: string }[] = [];
    for (let start = 0; start < threads.length; start += ORDER_CHUNK) {
      chunks.push({ id: chunkId(start / ORDER_CHUNK), value: threads.slice(start, start + ORDER_CHUNK).map(encodeUidRuns).join(";") });
    }
    await this.store.records.clear(collection);
    await this.store.records.putMany(collection, chunks);
    const bytes = chunks.reduce((sum, c) => sum + size(c.value), 0);
    this.delta += bytes;
    this.meta = { ...this.meta, threads: threads.length, threadBytes: (this.meta.threadBytes ?? 0) + bytes };
  }

  /** Adds conversation rows, each under its conversation's key (its highest UID). */
  async addConversationRows(rows: readonly { key: string; row: MessageSummary }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.store.records.putMany(
      conversationsCollection(this.login, this.folder, this.meta.uidValidity),
      rows.map(({ key, row }) => ({ id: key, value: row })),
    );
    const bytes = rows.reduce((sum, r) => sum + size(r.row), 0);
    this.delta += bytes;
    this.meta = { ...this.meta, threadBytes: (this.meta.threadBytes ?? 0) + bytes };
  }

  /**
   * Forgets the threaded view: any change to the folder may regroup conversations or change a
   * row's unread state, so it is rebuilt (one THREAD) rather than patched.
   */
  async dropConversations(): Promise<void> {
    if (this.meta.threads === undefined && !this.meta.threadBytes) return;
    await this.store.records.clear(threadsCollection(this.login, this.folder, this.meta.uidValidity));
    await this.store.records.clear(conversationsCollection(this.login, this.folder, this.meta.uidValidity));
    this.delta -= this.meta.threadBytes ?? 0;
    this.meta = { ...this.meta, threads: undefined, threadBytes: 0 };
  }

  /** Adds rows (new to the cache: the caller read them as missing). */
  async addRows(rows: readonly CachedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const now = Date.now();
    await this.store.records.putMany(
      rowsCollection(this.login, this.folder, this.meta.uidValidity),
      rows.map((row) => ({ id: String(row.uid), value: row, sortKey: now })),
    );
    this.delta += rows.reduce((sum, row) => sum + size(row), 0);
  }

  /** Sets the flags of cached rows; UIDs not cached are ignored (their rows come with their page). */
  async updateFlags(changes: ReadonlyMap<number, MessageFlags>): Promise<void> {
    if (changes.size === 0) return;
    const uids = [...changes.keys()];
    const collection = rowsCollection(this.login, this.folder, this.meta.uidValidity);
    const found = await this.store.records.getMany<CachedRow>(collection, uids.map(String));
    const writes: { id: string; value: CachedRow; sortKey: number }[] = [];
    for (const record of found) {
      if (!record) continue;
      const flags = changes.get(record.value.uid)!;
      const value = { ...record.value, flags };
      this.delta += size(value) - size(record.value);
      writes.push({ id: record.id, value, sortKey: record.sortKey });
    }
    await this.store.records.putMany(collection, writes);
  }

  async deleteRows(uids: readonly number[]): Promise<void> {
    if (uids.length === 0) return;
    const collection = rowsCollection(this.login, this.folder, this.meta.uidValidity);
    const ids = uids.map(String);
    const found = await this.store.records.getMany<CachedRow>(collection, ids);
    this.delta -= found.reduce((sum, r) => sum + (r ? size(r.value) : 0), 0);
    await this.store.records.deleteMany(collection, ids);
  }

  /** Drops every row (kept: the orders), e.g. when more flags changed than are worth patching. */
  async clearRows(): Promise<void> {
    await this.store.records.clear(rowsCollection(this.login, this.folder, this.meta.uidValidity));
    const kept = (await this.orderBytes()) + (this.meta.threadBytes ?? 0);
    this.delta += kept - (this.meta.bytes + this.delta);
  }

  /** Removes the oldest-cached rows until the folder holds at most `maxBytes`. */
  async trimTo(maxBytes: number): Promise<void> {
    const collection = rowsCollection(this.login, this.folder, this.meta.uidValidity);
    while (this.meta.bytes + this.delta > maxBytes) {
      const oldest = await this.store.records.scan<CachedRow>(collection, { limit: 200 });
      if (oldest.length === 0) break;
      let freed = 0;
      const ids: string[] = [];
      for (const record of oldest) {
        if (this.meta.bytes + this.delta - freed <= maxBytes) break;
        ids.push(record.id);
        freed += size(record.value);
      }
      await this.store.records.deleteMany(collection, ids);
      this.delta -= freed;
    }
  }

  private async orderBytes(): Promise<number> {
    let total = 0;
    for (const refs of Object.values(this.meta.chunks)) total += (refs ?? []).reduce((sum, ref) => sum + ref[4], 0);
    return total;
  }
}

/** Whether `uid` is within one of `ranges` (ascending, disjoint): a binary search. */
export function inRanges(uid: number, ranges: readonly UidRange[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [low, high] = ranges[mid]!;
    if (uid < low) hi = mid - 1;
    else if (uid > high) lo = mid + 1;
    else return true;
  }
  return false;
}
