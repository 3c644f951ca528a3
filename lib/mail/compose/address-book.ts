import "server-only";
import { getStore } from "@/lib/store";
import type { Address } from "@/lib/mail/types";

/**
 * Addresses a user wrote to or heard from, for recipient autocomplete: collected from the envelopes
 * of messages they open and send. One record collection per login in the store (all of a user's
 * sessions and every instance share it, and it outlives a restart); nothing of it is stored in the
 * browser. Each record's sort key is its last use, so the least recent go first when it is full.
 */
interface Known extends Address {
  uses: number;
  last: number;
}

const MAX_PER_LOGIN = 5000;
const collection = (login: string) => `contacts:${login.toLowerCase()}`;

export async function rememberAddresses(login: string, addresses: readonly Address[], weight = 1): Promise<void> {
  const store = await getStore();
  const book = collection(login);
  const now = Date.now();
  const seen = new Set<string>();
  for (const a of addresses) {
    const key = a.address.trim().toLowerCase();
    if (!key.includes("@") || key === login.toLowerCase() || seen.has(key)) continue;
    seen.add(key);
    // Read, then write: two instances counting the same address at once may lose one use, which
    // only nudges the order of suggestions.
    const known = (await store.records.get<Known>(book, key))?.value;
    const next: Known = known
      ? { name: a.name || known.name, address: known.address, uses: known.uses + weight, last: now }
      : { name: a.name, address: a.address.trim(), uses: weight, last: now };
    await store.records.put(book, key, next, { sortKey: now });
  }
  const excess = (await store.records.count(book)) - MAX_PER_LOGIN;
  if (excess > 0) {
    for (const old of await store.records.scan(book, { limit: excess })) await store.records.delete(book, old.id);
  }
}

/** Up to `limit` addresses whose address or a word of whose name starts with `query`, most used first. */
export async function suggestAddresses(login: string, query: string, limit = 8): Promise<Address[]> {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const store = await getStore();
  const book = await store.records.scan<Known>(collection(login));
  const matches = book
    .map((r) => r.value)
    .filter(
      (k) =>
        k.address.toLowerCase().startsWith(q) || k.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || k.name.toLowerCase().startsWith(q),
    );
  return matches
    .sort((a, b) => b.uses - a.uses || b.last - a.last)
    .slice(0, limit)
    .map(({ name, address }) => ({ name, address }));
}
