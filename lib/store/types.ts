/**
 * What the server keeps between requests, restarts and instances. Small typed interfaces, one
 * driver per backend (SQLite by default, Redis when shared); both pass one contract suite
 * (lib/store/contract.ts). Values are JSON: whatever goes in comes out as `JSON.parse` gives it.
 */

export interface TtlOption {
  /** Milliseconds until the entry disappears; omitted means it stays until deleted. */
  ttlMs?: number;
}

/** Key-value entries with expiry. */
export interface KvStore {
  get<T>(key: string): Promise<T | null>;
  set<T>(key: string, value: T, options?: TtlOption): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Writes only when the key is absent (or expired); true when this call wrote it. The one atomic
   * claim every instance agrees on: idempotency keys and one-shot work build on it.
   */
  setIfAbsent<T>(key: string, value: T, options?: TtlOption): Promise<boolean>;
}

/** Counters that count within a window which starts at the first increment (throttles). */
export interface CounterStore {
  /** Adds `by` (default 1) and returns the count within the current window. */
  increment(key: string, options: { windowMs: number; by?: number }): Promise<number>;
  /** The count within the current window; 0 when none. */
  get(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

/**
 * Leases: only one holder at a time works on `name` (a job, a mailbox poll) until the lease expires
 * or is released. The holder renews it while it works; a holder that died loses it at expiry.
 */
export interface LeaseStore {
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease if `holder` still holds it; false when it was lost. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Releases the lease if `holder` holds it; otherwise does nothing. */
  release(name: string, holder: string): Promise<void>;
  /** The current holder, or null. */
  holder(name: string): Promise<string | null>;
}

export interface StoredRecord<T> {
  id: string;
  value: T;
  /** Orders a collection's scan: a due time for an outbox or a job queue, a last-use time for a book. */
  sortKey: number;
}

/**
 * Records in named collections (an account's outbox, an address book, a job queue), each with a
 * sort key: put/get/delete by id, scan in sort-key order, optionally only up to a bound.
 */
export interface RecordStore {
  put<T>(collection: string, id: string, value: T, options?: TtlOption & { sortKey?: number }): Promise<void>;
  get<T>(collection: string, id: string): Promise<StoredRecord<T> | null>;
  delete(collection: string, id: string): Promise<void>;
  /**
   * Several records by id in one round trip, in the order asked (null where absent or expired):
   * a page of a cached folder is read in one call whatever the folder's size.
   */
  getMany<T>(collection: string, ids: readonly string[]): Promise<(StoredRecord<T> | null)[]>;
  /** Writes several records at once (one transaction or MULTI): all of them or none. */
  putMany<T>(collection: string, entries: readonly { id: string; value: T; sortKey?: number }[], options?: TtlOption): Promise<void>;
  deleteMany(collection: string, ids: readonly string[]): Promise<void>;
  /** Records in ascending sort-key order, those with sortKey ≤ `maxSortKey` when given. */
  scan<T>(collection: string, options?: { maxSortKey?: number; limit?: number }): Promise<StoredRecord<T>[]>;
  count(collection: string): Promise<number>;
  /** Deletes the whole collection. */
  clear(collection: string): Promise<void>;
}

/** Messages between instances: what one publishes, every instance's subscribers receive. */
export interface PubSub {
  publish<T>(channel: string, message: T): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe<T>(channel: string, handler: (message: T) => void): Promise<() => Promise<void>>;
}

export interface Store {
  readonly backend: "sqlite" | "redis";
  /** Where it lives, for messages and docs: the SQLite file's path or the Redis URL without password. */
  readonly location: string;
  kv: KvStore;
  counters: CounterStore;
  leases: LeaseStore;
  records: RecordStore;
  pubsub: PubSub;
  /** Bytes the store occupies (file size with WAL, or Redis's used memory), for `npm run load`. */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}
