import "server-only";

/**
 * One send per idempotency key: the composer makes one key per message, so a double click, a retry
 * after a timeout or a resubmitted request joins the send already running or gets its result,
 * instead of sending again. A send that failed is forgotten, so the same key may try again.
 * Kept in memory per login; a restart forgets finished keys (documented in docs/architecture.md).
 */
interface Entry<T> {
  promise: Promise<T>;
  at: number;
}

const KEEP_MS = 24 * 60 * 60_000;
const MAX_ENTRIES = 10_000;
const entries = new Map<string, Entry<unknown>>();

export function runOnce<T>(scope: string, key: string, work: () => Promise<T>): Promise<T> {
  const id = `${scope}\u0000${key}`;
  const existing = entries.get(id) as Entry<T> | undefined;
  if (existing && Date.now() - existing.at < KEEP_MS) return existing.promise;
  const promise = work();
  entries.set(id, { promise, at: Date.now() });
  promise.catch(() => {
    if (entries.get(id)?.promise === promise) entries.delete(id);
  });
  if (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  return promise;
}
