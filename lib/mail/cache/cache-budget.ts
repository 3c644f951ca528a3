import "server-only";
import { randomUUID } from "node:crypto";
import type { MessageSortKey } from "@/lib/mail/types";
import type { Store } from "@/lib/store";
import {
  conversationsCollection,
  FolderCache,
  FolderCacheWriter,
  folderId,
  metaKey,
  orderCollection,
  rowsCollection,
  threadsCollection,
  type FolderMeta,
} from "./folder-cache";

/**
 * The cache's bounds: bytes per login and overall, least recently used folders evicted first, and
 * nothing kept for a login that signed out. All of it in the store, so every instance agrees:
 *
 * - `mc:lru` (records): every cached folder, sort key = last use; value = login, folder, bytes.
 * - `mc:lru:<login>` (records): the same for one login (a user's few folders, scanned whole).
 * - `mc:bytes` (counter): the total, changed by each write's exact delta (atomic on both backends).
 * - `mc:<login>/<folder>` (lease): held while writing a folder, so its byte count stays exact.
 */

export interface CacheLimits {
  /** Bytes per login; 0 turns the cache off. */
  maxBytesPerLogin: number;
  maxBytes: number;
  /** UIDs per order chunk written (folder-cache.ts ORDER_CHUNK); smaller only in tests, to exercise many chunks. */
  orderChunk?: number;
}

export interface LruEntry {
  login: string;
  folder: string;
  bytes: number;
}

export const GLOBAL_LRU = "mc:lru";
const TOTAL = "mc:bytes";
// The counter store counts within a window; the cache's total must never reset, so the window is a century.
const FOREVER_MS = 100 * 365 * 24 * 3_600_000;
const LEASE_MS = 30_000;

export const loginLru = (login: string) => `mc:lru:${encodeURIComponent(login.toLowerCase())}`;
const leaseName = (login: string, folder: string) => `mc:${folderId(login, folder)}`;

/**
 * Runs `work` holding the folder's write lease; null when another request (on any instance) is
 * writing it, in which case the caller answers without the cache rather than wait.
 */
export async function withFolderLease<T>(store: Store, login: string, folder: string, work: () => Promise<T>): Promise<T | null> {
  const holder = randomUUID();
  const name = leaseName(login, folder);
  if (!(await store.leases.acquire(name, holder, LEASE_MS))) return null;
  try {
    return await work();
  } finally {
    await store.leases.release(name, holder);
  }
}

/** Records that the folder was used now (for LRU), with its size. */
export async function touchFolder(store: Store, login: string, folder: string, bytes: number): Promise<void> {
  // Sub-millisecond, so two folders used within one millisecond still have an order.
  const now = performance.timeOrigin + performance.now();
  const entry: LruEntry = { login: login.toLowerCase(), folder, bytes };
  await store.records.put(GLOBAL_LRU, folderId(login, folder), entry, { sortKey: now });
  await store.records.put(loginLru(login), folderId(login, folder), entry, { sortKey: now });
}

/**
 * Saves what a writer did (meta with its new byte count, LRU, total), then evicts until the caps
 * hold: the login's least recently used other folders first, then the oldest rows of this folder
 * if it alone is over; then other logins' least recently used folders while the total is over.
 */
export async function commitWrite(writer: FolderCacheWriter, limits: CacheLimits): Promise<void> {
  const { store, login, folder } = writer.cache;
  await writer.trimTo(limits.maxBytesPerLogin);
  await saveMeta(writer);

  const others = (await store.records.scan<LruEntry>(loginLru(login))).filter((r) => r.value.folder !== folder);
  let loginBytes = writer.meta.bytes + others.reduce((sum, r) => sum + r.value.bytes, 0);
  for (const other of others) {
    if (loginBytes <= limits.maxBytesPerLogin) break;
    if (await evictFolder(store, other.value.login, other.value.folder)) loginBytes -= other.value.bytes;
  }

  if ((await store.counters.get(TOTAL)) <= limits.maxBytes) return;
  const oldest = await store.records.scan<LruEntry>(GLOBAL_LRU, { limit: 50 });
  for (const entry of oldest) {
    if ((await store.counters.get(TOTAL)) <= limits.maxBytes) break;
    if (entry.value.login === login.toLowerCase() && entry.value.folder === folder) continue;
    await evictFolder(store, entry.value.login, entry.value.folder);
  }
}

async function saveMeta(writer: FolderCacheWriter): Promise<void> {
  const { store, login, folder } = writer.cache;
  const delta = writer.delta;
  writer.meta = { ...writer.meta, bytes: Math.max(0, writer.meta.bytes + delta) };
  writer.delta = 0;
  await store.kv.set(metaKey(login, folder), writer.meta);
  if (delta !== 0) await store.counters.increment(TOTAL, { windowMs: FOREVER_MS, by: delta });
  await touchFolder(store, login, folder, writer.meta.bytes);
}

/** Deletes a folder's cache whole (meta first, so no reader trusts a half-deleted cache). Call holding its lease. */
export async function dropFolder(store: Store, login: string, folder: string, meta: FolderMeta | null): Promise<void> {
  await store.kv.delete(metaKey(login, folder));
  if (meta) {
    for (const key of Object.keys(meta.orders) as MessageSortKey[]) {
      await store.records.clear(orderCollection(login, folder, meta.uidValidity, key));
    }
    await store.records.clear(rowsCollection(login, folder, meta.uidValidity));
    await store.records.clear(threadsCollection(login, folder, meta.uidValidity));
    await store.records.clear(conversationsCollection(login, folder, meta.uidValidity));
    if (meta.bytes) await store.counters.increment(TOTAL, { windowMs: FOREVER_MS, by: -meta.bytes });
  }
  await store.records.delete(GLOBAL_LRU, folderId(login, folder));
  await store.records.delete(loginLru(login), folderId(login, folder));
}

/** Evicts another folder's cache unless it is being written right now; true when it went. */
export async function evictFolder(store: Store, login: string, folder: string): Promise<boolean> {
  const done = await withFolderLease(store, login, folder, async () => {
    await dropFolder(store, login, folder, await new FolderCache(store, login, folder).meta());
    return true;
  });
  return done === true;
}

/**
 * Deletes everything cached for a login: on sign-out of its last session. A folder being written
 * at that moment is retried briefly; its writer finishes within the lease time anyway.
 */
export async function purgeLogin(store: Store, login: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const folders = await store.records.scan<LruEntry>(loginLru(login));
    if (folders.length === 0) return;
    for (const entry of folders) await evictFolder(store, entry.value.login, entry.value.folder);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

/** For tests and the benchmark: the total bytes the cache holds across logins. */
export async function totalCachedBytes(store: Store): Promise<number> {
  return store.counters.get(TOTAL);
}
