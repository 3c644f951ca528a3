import "server-only";
import type { Store } from "@/lib/store";
import { commitWrite, withFolderLease, type CacheLimits } from "./cache-budget";
import { FolderCache, FolderCacheWriter, rowsCollection, type CachedRow } from "./folder-cache";

/**
 * Snippets made from bodies (lib/mail/snippets) kept in the header cache's own rows, as the
 * `preview` the server would have given: the next page read from the cache carries them, and
 * they go with the rows (LRU, caps, sign-out purge, a new UIDVALIDITY). A row's preview is null
 * until its snippet was made ("" then means the message has no text).
 */

/** Snippets of `uids` already in the folder's cached rows (a row cached with this UIDVALIDITY). */
export async function readCachedSnippets(store: Store, login: string, folder: string, uidValidity: string, uids: readonly number[]): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const cache = new FolderCache(store, login, folder);
  const meta = await cache.meta();
  if (!meta || meta.uidValidity !== uidValidity || uids.length === 0) return found;
  const rows = await cache.rows(meta, uids);
  for (const row of rows) if (row && row.preview !== null) found.set(row.uid, row.preview);
  return found;
}

/**
 * Writes snippets into the rows the folder's cache holds (under its write lease, so its byte count
 * stays exact). Returns the UIDs written: the others (rows not cached, another UIDVALIDITY, or the
 * lease busy with a sync) are the caller's to keep elsewhere.
 */
export async function writeCachedSnippets(
  store: Store,
  login: string,
  folder: string,
  uidValidity: string,
  snippets: ReadonlyMap<number, string>,
  limits: CacheLimits,
): Promise<Set<number>> {
  if (snippets.size === 0 || limits.maxBytesPerLogin <= 0) return new Set();
  const written = await withFolderLease(store, login, folder, async () => {
    const cache = new FolderCache(store, login, folder);
    const meta = await cache.meta();
    if (!meta || meta.uidValidity !== uidValidity) return new Set<number>();
    const collection = rowsCollection(login, folder, uidValidity);
    const found = await store.records.getMany<CachedRow>(collection, [...snippets.keys()].map(String));
    const writer = new FolderCacheWriter(cache, meta);
    const writes: { id: string; value: CachedRow; sortKey: number }[] = [];
    for (const record of found) {
      if (!record) continue;
      const preview = snippets.get(record.value.uid);
      if (preview === undefined) continue;
      const value = { ...record.value, preview };
      writer.delta += JSON.stringify(value).length - JSON.stringify(record.value).length;
      writes.push({ id: record.id, value, sortKey: record.sortKey });
    }
    if (writes.length === 0) return new Set<number>();
    await store.records.putMany(collection, writes);
    await commitWrite(writer, limits);
    return new Set(writes.map((w) => w.value.uid));
  });
  return written ?? new Set();
}
