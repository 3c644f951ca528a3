import "server-only";
import { Redis } from "ioredis";
import { StoreStartupError } from "./startup-error";
import type { Store, StoredRecord } from "./types";

/**
 * The shared store: Redis, for several instances of Letterbox. Every key starts with `lb:`. Each
 * operation is one command, one Lua script or one MULTI/EXEC, so an instance that loses Redis
 * mid-request leaves nothing half-written. Commands fail at once while Redis is away (no offline
 * queue: a request should not hang on it), and the client reconnects by itself.
 */

const P = "lb:";

// Counts within a window that starts at the first increment: the expiry is set only on a new key.
const INCREMENT = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`;
const LEASE_ACQUIRE = `
local h = redis.call('GET', KEYS[1])
if h == false or h == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
const LEASE_RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const LEASE_RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

/** A record as kept in the collection's hash: value, sort key, expiry (ms since epoch or null). */
interface Packed {
  v: unknown;
  s: number;
  e: number | null;
}

export interface RedisOptions {
  url: string;
  connectTimeoutMs?: number;
}

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

function client(url: string, connectTimeoutMs: number): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: connectTimeoutMs,
    commandTimeout: 5000,
    // Keep trying in the background while running; requests meanwhile get STORE_UNAVAILABLE.
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
}

export async function openRedisStore(options: RedisOptions): Promise<Store> {
  const shown = redactRedisUrl(options.url);
  const timeout = options.connectTimeoutMs ?? 5000;
  const redis = client(options.url, timeout);
  const subscriber = redis.duplicate();
  // Without a listener an unreachable Redis would be an unhandled 'error' event; the state is
  // reported through failing commands instead, and logged once per outage.
  let down = false;
  for (const c of [redis, subscriber]) {
    c.on("error", (error: Error) => {
      if (!down) console.error(`[letterbox] Redis at ${shown} is unavailable: ${error.message}`);
      down = true;
    });
    c.on("ready", () => {
      if (down) console.error(`[letterbox] Redis at ${shown} is back`);
      down = false;
    });
  }
  try {
    await redis.connect();
    await subscriber.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    subscriber.disconnect();
    throw new StoreStartupError(
      `Letterbox cannot reach Redis at ${shown} (LETTERBOX_REDIS_URL): ${(error as Error)?.message ?? error}. ` +
        `Start Redis, or correct or unset LETTERBOX_REDIS_URL (unset, Letterbox keeps its state in SQLite).`,
      { cause: error },
    );
  }

  const handlers = new Map<string, Set<(message: unknown) => void>>();
  subscriber.on("message", (channel: string, raw: string) => {
    const set = handlers.get(channel.slice(`${P}ps:`.length));
    if (!set) return;
    for (const handler of set) handler(JSON.parse(raw));
  });

  const hashKey = (collection: string) => `${P}rec:${collection}`;
  const zsetKey = (collection: string) => `${P}recz:${collection}`;
  const alive = (p: Packed, now: number) => p.e === null || p.e > now;
  /** Drops expired records found while reading; an expired record is already invisible, so this is tidying. */
  const dropExpired = async (collection: string, ids: string[]) => {
    if (ids.length) await redis.multi().hdel(hashKey(collection), ...ids).zrem(zsetKey(collection), ...ids).exec();
  };

  return {
    backend: "redis",
    location: shown,
    kv: {
      async get<T>(key: string) {
        const raw = await redis.get(`${P}kv:${key}`);
        return raw === null ? null : (JSON.parse(raw) as T);
      },
      async set(key, value, options) {
        const raw = JSON.stringify(value);
        if (options?.ttlMs !== undefined) await redis.set(`${P}kv:${key}`, raw, "PX", Math.max(1, Math.round(options.ttlMs)));
        else await redis.set(`${P}kv:${key}`, raw);
      },
      async delete(key) {
        await redis.del(`${P}kv:${key}`);
      },
      async setIfAbsent(key, value, options) {
        const raw = JSON.stringify(value);
        const result =
          options?.ttlMs !== undefined
            ? await redis.set(`${P}kv:${key}`, raw, "PX", Math.max(1, Math.round(options.ttlMs)), "NX")
            : await redis.set(`${P}kv:${key}`, raw, "NX");
        return result === "OK";
      },
    },
    counters: {
      async increment(key, { windowMs, by = 1 }) {
        return Number(await redis.eval(INCREMENT, 1, `${P}ctr:${key}`, by, Math.max(1, Math.round(windowMs))));
      },
      async get(key) {
        return Number((await redis.get(`${P}ctr:${key}`)) ?? 0);
      },
      async reset(key) {
        await redis.del(`${P}ctr:${key}`);
      },
    },
    leases: {
      async acquire(name, holder, ttlMs) {
        return Number(await redis.eval(LEASE_ACQUIRE, 1, `${P}lease:${name}`, holder, Math.max(1, Math.round(ttlMs)))) === 1;
      },
      async renew(name, holder, ttlMs) {
        return Number(await redis.eval(LEASE_RENEW, 1, `${P}lease:${name}`, holder, Math.max(1, Math.round(ttlMs)))) === 1;
      },
      async release(name, holder) {
        await redis.eval(LEASE_RELEASE, 1, `${P}lease:${name}`, holder);
      },
      async holder(name) {
        return redis.get(`${P}lease:${name}`);
      },
    },
    records: {
      async put(collection, id, value, options) {
        const sortKey = options?.sortKey ?? 0;
        const packed: Packed = { v: value, s: sortKey, e: options?.ttlMs === undefined ? null : Date.now() + options.ttlMs };
        await redis.multi().hset(hashKey(collection), id, JSON.stringify(packed)).zadd(zsetKey(collection), sortKey, id).exec();
      },
      async get<T>(collection: string, id: string) {
        const raw = await redis.hget(hashKey(collection), id);
        if (raw === null) return null;
        const p = JSON.parse(raw) as Packed;
        if (!alive(p, Date.now())) {
          await dropExpired(collection, [id]);
          return null;
        }
        return { id, value: p.v as T, sortKey: p.s };
      },
      async delete(collection, id) {
        await redis.multi().hdel(hashKey(collection), id).zrem(zsetKey(collection), id).exec();
      },
      async getMany<T>(collection: string, ids: readonly string[]) {
        if (ids.length === 0) return [];
        const raws = await redis.hmget(hashKey(collection), ...ids);
        const now = Date.now();
        const expired: string[] = [];
        const out = ids.map((id, i): StoredRecord<T> | null => {
          const raw = raws[i];
          if (raw == null) return null;
          const p = JSON.parse(raw) as Packed;
          if (!alive(p, now)) {
            expired.push(id);
            return null;
          }
          return { id, value: p.v as T, sortKey: p.s };
        });
        await dropExpired(collection, expired);
        return out;
      },
      async putMany(collection, entries, options) {
        if (entries.length === 0) return;
        const e = options?.ttlMs === undefined ? null : Date.now() + options.ttlMs;
        const fields: string[] = [];
        const scores: (string | number)[] = [];
        for (const entry of entries) {
          const sortKey = entry.sortKey ?? 0;
          fields.push(entry.id, JSON.stringify({ v: entry.value, s: sortKey, e } satisfies Packed));
          scores.push(sortKey, entry.id);
        }
        await redis.multi().hset(hashKey(collection), ...fields).zadd(zsetKey(collection), ...scores).exec();
      },
      async deleteMany(collection, ids) {
        if (ids.length === 0) return;
        await redis.multi().hdel(hashKey(collection), ...ids).zrem(zsetKey(collection), ...ids).exec();
      },
      async scan<T>(collection: string, options?: { maxSortKey?: number; limit?: number }) {
        const max = options?.maxSortKey === undefined ? "+inf" : String(options.maxSortKey);
        const limit = options?.limit ?? -1;
        const out: StoredRecord<T>[] = [];
        const expired: string[] = [];
        const now = Date.now();
        let offset = 0;
        // Page through the sorted set, skipping expired records, until `limit` live ones are found.
        for (;;) {
          const want = limit < 0 ? 500 : Math.max(limit - out.length, 1);
          const ids = await redis.zrangebyscore(zsetKey(collection), "-inf", max, "LIMIT", offset, want);
          if (!ids.length) break;
          offset += ids.length;
          const raws = await redis.hmget(hashKey(collection), ...ids);
          ids.forEach((id, i) => {
            const raw = raws[i];
            if (raw == null) return;
            const p = JSON.parse(raw) as Packed;
            if (!alive(p, now)) expired.push(id);
            else if (limit < 0 || out.length < limit) out.push({ id, value: p.v as T, sortKey: p.s });
          });
          if (limit >= 0 && out.length >= limit) break;
        }
        await dropExpired(collection, expired);
        // Redis orders equal scores by member; SQLite by id too: the same order on both.
        return out;
      },
      async count(collection) {
        const now = Date.now();
        const values = await redis.hvals(hashKey(collection));
        return values.filter((raw) => alive(JSON.parse(raw) as Packed, now)).length;
      },
      async clear(collection) {
        await redis.multi().del(hashKey(collection)).del(zsetKey(collection)).exec();
      },
    },
    pubsub: {
      async publish(channel, message) {
        await redis.publish(`${P}ps:${channel}`, JSON.stringify(message));
      },
      async subscribe<T>(channel: string, handler: (message: T) => void) {
        let set = handlers.get(channel);
        if (!set) {
          set = new Set();
          handlers.set(channel, set);
          await subscriber.subscribe(`${P}ps:${channel}`);
        }
        set.add(handler as (message: unknown) => void);
        return async () => {
          set.delete(handler as (message: unknown) => void);
          if (set.size === 0 && handlers.get(channel) === set) {
            handlers.delete(channel);
            await subscriber.unsubscribe(`${P}ps:${channel}`);
          }
        };
      },
    },
    async sizeBytes() {
      const info = await redis.info("memory");
      return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
    },
    async close() {
      handlers.clear();
      await Promise.allSettled([redis.quit(), subscriber.quit()]);
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}
