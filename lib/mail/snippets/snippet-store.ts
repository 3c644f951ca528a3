import "server-only";
import type { Store } from "@/lib/store";

/**
 * Snippets of messages whose folder the header cache does not hold (cache off, the folder
 * evicted, a search's rows): one collection per login in the store (`snip:<login>`, so sign-out
 * clears it in one call), each entry keyed by folder, UIDVALIDITY and UID — a message's text never
 * changes under those three (RFC 3501 §2.3.1.1), so an entry is never stale, only old. Bounded by
 * an expiry and a count per login (oldest written first out).
 */

export const SNIPPET_TTL_MS = 60 * 60_000;
export const MAX_SNIPPETS_PER_LOGIN = 5_000;

const collectionOf = (login: string) => `snip:${encodeURIComponent(login.toLowerCase())}`;
const idOf = (folder: string, uidValidity: string, uid: number) => `${encodeURIComponent(folder)}/${uidValidity}/${uid}`;

export async function readStoredSnippets(store: Store, login: string, folder: string, uidValidity: string, uids: readonly number[]): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  if (uids.length === 0) return found;
  const records = await store.records.getMany<string>(collectionOf(login), uids.map((uid) => idOf(folder, uidValidity, uid)));
  records.forEach((record, i) => {
    if (record && typeof record.value === "string") found.set(uids[i]!, record.value);
  });
  return found;
}

export async function writeStoredSnippets(store: Store, login: string, folder: string, uidValidity: string, snippets: ReadonlyMap<number, string>): Promise<void> {
  if (snippets.size === 0) return;
  const collection = collectionOf(login);
  const now = Date.now();
  await store.records.putMany(
    collection,
    [...snippets].map(([uid, text]) => ({ id: idOf(folder, uidValidity, uid), value: text, sortKey: now })),
    { ttlMs: SNIPPET_TTL_MS },
  );
  const over = (await store.records.count(collection)) - MAX_SNIPPETS_PER_LOGIN;
  if (over > 0) {
    const oldest = await store.records.scan<string>(collection, { limit: over });
    await store.records.deleteMany(
      collection,
      oldest.map((r) => r.id),
    );
  }
}

/** Forgets every snippet of `login` (sign-out of its last session). */
export async function purgeStoredSnippets(store: Store, login: string): Promise<void> {
  await store.records.clear(collectionOf(login));
}
