import "server-only";
import { EventEmitter } from "node:events";
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { StoreStartupError } from "./startup-error";
import type { Store, StoredRecord } from "./types";

/**
 * The embedded store: one SQLite file, opened once per process in WAL mode (readers never wait for
 * the writer, and a crash loses at most the last transaction). better-sqlite3 is synchronous, which
 * suits SQLite: each call is a few microseconds on a local file, and every statement is atomic.
 * Several processes on one machine may share the file (SQLite locks it); pub/sub stays in-process.
 */

/** Each entry runs once, in order, inside a transaction; PRAGMA user_version counts those applied. */
const migrations: readonly string[] = [
  `CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER);
   CREATE INDEX kv_expires ON kv (expires_at) WHERE expires_at IS NOT NULL;
   CREATE TABLE counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, window_ends INTEGER NOT NULL);
   CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);
   CREATE TABLE records (
     collection TEXT NOT NULL, id TEXT NOT NULL, value TEXT NOT NULL, sort_key REAL NOT NULL,
     expires_at INTEGER, PRIMARY KEY (collection, id)
   );
   CREATE INDEX records_by_sort ON records (collection, sort_key);`,
];

const SWEEP_EVERY_MS = 60_000;

export interface SqliteOptions {
  /** The database file; its folder is created when missing. */
  file: string;
}

function open(file: string): Database.Database {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const db = new Database(file);
    // First, so that every statement below waits for another process's lock instead of failing.
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    // NORMAL with WAL: durable across an app crash; a power cut may lose the last commits, never corrupt.
    db.pragma("synchronous = NORMAL");
    // The version is read inside a write transaction (BEGIN IMMEDIATE): two processes starting on a
    // new file at once (two instances, or the app and `npm run worker`) then migrate one after the
    // other, the second seeing the first's work, instead of both creating the tables.
    db.transaction(() => {
      const applied = db.pragma("user_version", { simple: true }) as number;
      for (let version = applied; version < migrations.length; version++) {
        db.exec(migrations[version]!);
        db.pragma(`user_version = ${version + 1}`);
      }
    }).immediate();
    // A write now, so an unwritable file fails at start-up rather than at the first sign-in.
    db.prepare("DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?").run(Date.now());
    return db;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreStartupError(
      `Letterbox cannot open its store at ${file}: ${reason}. ` +
        `Check that LETTERBOX_DATA_DIR points at a writable folder and that the file is a SQLite database ` +
        `(move a corrupt file aside; it will be created anew, which signs everyone out).`,
      { cause: error },
    );
  }
}

export function openSqliteStore(options: SqliteOptions): Store {
  const file = path.resolve(options.file);
  const db = open(file);
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);

  const q = {
    kvGet: db.prepare<[string, number], { value: string }>("SELECT value FROM kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)"),
    kvSet: db.prepare("INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at"),
    kvDelete: db.prepare("DELETE FROM kv WHERE key = ?"),
    kvInsertIfAbsent: db.prepare(
      `INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
       WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= ?`,
    ),
    counterGet: db.prepare<[string, number], { count: number }>("SELECT count FROM counters WHERE key = ? AND window_ends > ?"),
    counterBump: db.prepare<[string, number, number, number, number, number], { count: number }>(
      `INSERT INTO counters (key, count, window_ends) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN counters.window_ends > ? THEN counters.count + excluded.count ELSE excluded.count END,
         window_ends = CASE WHEN counters.window_ends > ? THEN counters.window_ends ELSE ? END
       RETURNING count`,
    ),
    counterReset: db.prepare("DELETE FROM counters WHERE key = ?"),
    leaseAcquire: db.prepare(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.expires_at <= ? OR leases.holder = excluded.holder`,
    ),
    leaseRenew: db.prepare("UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?"),
    leaseRelease: db.prepare("DELETE FROM leases WHERE name = ? AND holder = ?"),
    leaseHolder: db.prepare<[string, number], { holder: string }>("SELECT holder FROM leases WHERE name = ? AND expires_at > ?"),
    recPut: db.prepare(
      `INSERT INTO records (collection, id, value, sort_key, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (collection, id) DO UPDATE SET value = excluded.value, sort_key = excluded.sort_key, expires_at = excluded.expires_at`,
    ),
    recGet: db.prepare<[string, string, number], { value: string; sort_key: number }>(
      "SELECT value, sort_key FROM records WHERE collection = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    recDelete: db.prepare("DELETE FROM records WHERE collection = ? AND id = ?"),
    recScan: db.prepare<[string, number, number, number], { id: string; value: string; sort_key: number }>(
      `SELECT id, value, sort_key FROM records
       WHERE collection = ? AND sort_key <= ? AND (expires_at IS NULL OR expires_at > ?)
       ORDER BY sort_key, id LIMIT ?`,
    ),
    recCount: db.prepare<[string, number], { n: number }>(
      "SELECT count(*) AS n FROM records WHERE collection = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    recClear: db.prepare("DELETE FROM records WHERE collection = ?"),
  };

  const sweep = db.transaction((now: number) => {
    db.prepare("DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?").run(now);
    db.prepare("DELETE FROM counters WHERE window_ends <= ?").run(now);
    db.prepare("DELETE FROM leases WHERE expires_at <= ?").run(now);
    db.prepare("DELETE FROM records WHERE expires_at IS NOT NULL AND expires_at <= ?").run(now);
  });
  const sweeper = setInterval(() => {
    try {
      sweep(Date.now());
    } catch (error) {
      console.error("[letterbox] store sweep failed:", (error as Error).message);
    }
  }, SWEEP_EVERY_MS);
  sweeper.unref();

  // One transaction for a batch: a page of cached rows is written whole or not at all.
  const putAll = db.transaction((collection: string, rows: readonly (readonly [string, string, number])[], expiresAt: number | null) => {
    for (const [id, value, sortKey] of rows) q.recPut.run(collection, id, value, sortKey, expiresAt);
  });
  const deleteAll = db.transaction((collection: string, ids: readonly string[]) => {
    for (const id of ids) q.recDelete.run(collection, id);
  });

  const expiry = (ttlMs: number | undefined) => (ttlMs === undefined ? null : Date.now() + Math.max(1, ttlMs));

  const store: Store = {
    backend: "sqlite",
    location: file,
    kv: {
      async get<T>(key: string) {
        const row = q.kvGet.get(key, Date.now());
        return row ? (JSON.parse(row.value) as T) : null;
      },
      async set(key, value, options) {
        q.kvSet.run(key, JSON.stringify(value), expiry(options?.ttlMs));
      },
      async delete(key) {
        q.kvDelete.run(key);
      },
      async setIfAbsent(key, value, options) {
        return q.kvInsertIfAbsent.run(key, JSON.stringify(value), expiry(options?.ttlMs), Date.now()).changes === 1;
      },
    },
    counters: {
      async increment(key, { windowMs, by = 1 }) {
        const now = Date.now();
        return q.counterBump.get(key, by, now + windowMs, now, now, now + windowMs)!.count;
      },
      async get(key) {
        return q.counterGet.get(key, Date.now())?.count ?? 0;
      },
      async reset(key) {
        q.counterReset.run(key);
      },
    },
    leases: {
      async acquire(name, holder, ttlMs) {
        const now = Date.now();
        return q.leaseAcquire.run(name, holder, now + ttlMs, now).changes === 1;
      },
      async renew(name, holder, ttlMs) {
        const now = Date.now();
        return q.leaseRenew.run(now + ttlMs, name, holder, now).changes === 1;
      },
      async release(name, holder) {
        q.leaseRelease.run(name, holder);
      },
      async holder(name) {
        return q.leaseHolder.get(name, Date.now())?.holder ?? null;
      },
    },
    records: {
      async put(collection, id, value, options) {
        q.recPut.run(collection, id, JSON.stringify(value), options?.sortKey ?? 0, expiry(options?.ttlMs));
      },
      async get<T>(collection: string, id: string) {
        const row = q.recGet.get(collection, id, Date.now());
        return row ? { id, value: JSON.parse(row.value) as T, sortKey: row.sort_key } : null;
      },
      async delete(collection, id) {
        q.recDelete.run(collection, id);
      },
      async getMany<T>(collection: string, ids: readonly string[]) {
        const now = Date.now();
        return ids.map((id): StoredRecord<T> | null => {
          const row = q.recGet.get(collection, id, now);
          return row ? { id, value: JSON.parse(row.value) as T, sortKey: row.sort_key } : null;
        });
      },
      async putMany(collection, entries, options) {
        const expiresAt = expiry(options?.ttlMs);
        putAll(collection, entries.map((e) => [e.id, JSON.stringify(e.value), e.sortKey ?? 0] as const), expiresAt);
      },
      async deleteMany(collection, ids) {
        deleteAll(collection, ids);
      },
      async scan<T>(collection: string, options?: { maxSortKey?: number; limit?: number }) {
        const rows = q.recScan.all(collection, options?.maxSortKey ?? Number.MAX_VALUE, Date.now(), options?.limit ?? -1);
        return rows.map((r): StoredRecord<T> => ({ id: r.id, value: JSON.parse(r.value) as T, sortKey: r.sort_key }));
      },
      async count(collection) {
        return q.recCount.get(collection, Date.now())!.n;
      },
      async clear(collection) {
        q.recClear.run(collection);
      },
    },
    pubsub: {
      async publish(channel, message) {
        // Through JSON like Redis, so a subscriber never shares an object with the publisher.
        const copy = JSON.stringify(message);
        queueMicrotask(() => emitter.emit(channel, JSON.parse(copy)));
      },
      async subscribe<T>(channel: string, handler: (message: T) => void) {
        emitter.on(channel, handler);
        return async () => {
          emitter.off(channel, handler);
        };
      },
    },
    async sizeBytes() {
      let total = 0;
      for (const suffix of ["", "-wal", "-shm"]) total += statSync(file + suffix, { throwIfNoEntry: false })?.size ?? 0;
      return total;
    },
    async close() {
      clearInterval(sweeper);
      emitter.removeAllListeners();
      if (db.open) db.close();
    },
  };
  return store;
}
