import "server-only";
import type { Address } from "@/lib/mail/types";

/**
 * Addresses a user wrote to or heard from, for recipient autocomplete: collected from the envelopes
 * of messages they open and send. Kept in server memory per login (all of a user's sessions share
 * it), so it starts empty after a restart; nothing of it is stored in the browser.
 */
interface Known extends Address {
  uses: number;
  last: number;
}

const MAX_PER_LOGIN = 5000;
const books = new Map<string, Map<string, Known>>();

export function rememberAddresses(login: string, addresses: readonly Address[], weight = 1): void {
  let book = books.get(login);
  if (!book) {
    book = new Map();
    books.set(login, book);
  }
  const now = Date.now();
  for (const a of addresses) {
    const key = a.address.trim().toLowerCase();
    if (!key.includes("@") || key === login.toLowerCase()) continue;
    const known = book.get(key);
    if (known) {
      known.uses += weight;
      known.last = now;
      if (a.name) known.name = a.name;
    } else {
      book.set(key, { name: a.name, address: a.address.trim(), uses: weight, last: now });
    }
  }
  if (book.size > MAX_PER_LOGIN) {
    const least = [...book.entries()].sort((x, y) => x[1].last - y[1].last).slice(0, book.size - MAX_PER_LOGIN);
    for (const [key] of least) book.delete(key);
  }
}

/** Up to `limit` addresses whose address or a word of whose name starts with `query`, most used first. */
export function suggestAddresses(login: string, query: string, limit = 8): Address[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const book = books.get(login);
  if (!book) return [];
  const matches = [...book.values()].filter(
    (k) => k.address.toLowerCase().startsWith(q) || k.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || k.name.toLowerCase().startsWith(q),
  );
  return matches
    .sort((a, b) => b.uses - a.uses || b.last - a.last)
    .slice(0, limit)
    .map(({ name, address }) => ({ name, address }));
}
