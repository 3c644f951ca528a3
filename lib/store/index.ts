import "server-only";
import path from "node:path";
import { AppError, isAppError } from "@/lib/errors";
import { StoreStartupError } from "./startup-error";
import type { Store } from "./types";

export type { CounterStore, KvStore, LeaseStore, PubSub, RecordStore, Store, StoredRecord, TtlOption } from "./types";
export { StoreStartupError } from "./startup-error";

/**
 * The one store of this process: SQLite under LETTERBOX_DATA_DIR by default, Redis when
 * LETTERBOX_REDIS_URL is set (several instances share it). Opened once per process, on first use
 * or from instrumentation.ts at start-up, which stops the server when it cannot be opened.
 *
 *   import { getStore } from "@/lib/store";
 *   const store = await getStore();
 *   await store.kv.set("k", { a: 1 }, { ttlMs: 60_000 });
 */
export async function getStore(): Promise<Store> {
  const slot = globalThis as typeof globalThis & { [storeKey]?: Promise<Store> };
  // On globalThis so the dev server's module reloads reuse the open handle instead of opening another.
  slot[storeKey] ??= openConfiguredStore(process.env).catch((error: unknown) => {
    delete slot[storeKey];
    throw error;
  });
  return slot[storeKey];
}

const storeKey = Symbol.for("letterbox.store");

export interface StoreEnv {
  LETTERBOX_REDIS_URL?: string;
  LETTERBOX_DATA_DIR?: string;
  [name: string]: string | undefined;
}

/** The data folder: LETTERBOX_DATA_DIR, or `.data/` in the working directory (the checkout). */
export function dataDir(env: StoreEnv = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.LETTERBOX_DATA_DIR?.trim() || path.join(/*turbopackIgnore: true*/ process.cwd(), ".data"));
}

/** The SQLite file for a given environment (also used by docs, tests and `npm run load`). */
export function sqliteFile(env: StoreEnv = process.env): string {
  return path.join(/*turbopackIgnore: true*/ dataDir(env), "letterbox.sqlite");
}

/** Opens the store `env` describes, wrapped so failures while running become STORE_UNAVAILABLE. */
export async function openConfiguredStore(env: StoreEnv): Promise<Store> {
  const redisUrl = env.LETTERBOX_REDIS_URL?.trim();
  if (redisUrl) {
    const { openRedisStore } = await import("./redis");
    return guard(await openRedisStore({ url: redisUrl }));
  }
  const { openSqliteStore } = await import("./sqlite");
  return guard(openSqliteStore({ file: sqliteFile(env) }));
}

/** For tests and `npm run worker`: closes this process's store so the next getStore() opens anew. */
export async function closeStore(): Promise<void> {
  const slot = globalThis as typeof globalThis & { [storeKey]?: Promise<Store> };
  const current = slot[storeKey];
  delete slot[storeKey];
  if (current) await (await current.catch(() => null))?.close();
}

/**
 * Any failure of the backend while running (Redis gone, disk full) becomes one deliberate error,
 * "the session store is unavailable", instead of an unknown one; the cause is logged, not shown.
 */
function guard(store: Store): Store {
  const wrap = <T extends object>(part: T): T =>
    new Proxy(part, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } catch (error) {
            if (isAppError(error) || error instanceof StoreStartupError) throw error;
            console.error(`[letterbox] store (${store.backend}) failed:`, (error as Error)?.message ?? error);
            throw new AppError("STORE_UNAVAILABLE", undefined, { cause: error });
          }
        };
      },
    });
  return {
    backend: store.backend,
    location: store.location,
    kv: wrap(store.kv),
    counters: wrap(store.counters),
    leases: wrap(store.leases),
    records: wrap(store.records),
    pubsub: wrap(store.pubsub),
    sizeBytes: () => store.sizeBytes(),
    close: () => store.close(),
  };
}
