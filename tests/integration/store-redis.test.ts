import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openConfiguredStore, StoreStartupError, type Store } from "@/lib/store";
import { describeStoreContract } from "@/tests/store/contract";
import { redisUrl, startRedis, stopRedis } from "./redis-support";

// The same contract suite the SQLite store passes (lib/store/sqlite.test.ts), against a real
// redis-server started by scripts/redis/redis.sh (scripts/test.sh exports REDIS_PORT).
beforeAll(() => startRedis());

describeStoreContract("redis", () => openConfiguredStore({ LETTERBOX_REDIS_URL: redisUrl() }));

describe("redis store between instances", () => {
  it("what one instance publishes, another's subscribers receive; what one claims, the other cannot", async () => {
    const [one, two] = await Promise.all([1, 2].map(() => openConfiguredStore({ LETTERBOX_REDIS_URL: redisUrl() })));
    try {
      const heard: unknown[] = [];
      await two!.pubsub.subscribe("between:user:alice", (m) => heard.push(m));
      await one!.pubsub.publish("between:user:alice", { type: "new-mail", folder: "INBOX" });
      await vi.waitFor(() => expect(heard).toEqual([{ type: "new-mail", folder: "INBOX" }]), { timeout: 3000, interval: 10 });
      const key = `between:claim:${Date.now()}`;
      const claims = await Promise.all([one!.kv.setIfAbsent(key, "one"), two!.kv.setIfAbsent(key, "two")]);
      expect(claims.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all([one?.close(), two?.close()]);
    }
  });
});

describe("redis store faults", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openConfiguredStore({ LETTERBOX_REDIS_URL: redisUrl() });
  });
  afterAll(async () => {
    startRedis();
    await store?.close();
  });

  it("refuses to open when Redis is unreachable, naming LETTERBOX_REDIS_URL", async () => {
    // A port nothing listens on: one past ours is free by the project's port plan.
    const opening = openConfiguredStore({ LETTERBOX_REDIS_URL: "redis://:hunter2@127.0.0.1:1/0" });
    await expect(opening).rejects.toBeInstanceOf(StoreStartupError);
    await expect(opening).rejects.toThrow(/LETTERBOX_REDIS_URL/);
    // The password never appears in the message.
    await expect(opening).rejects.not.toThrow(/hunter2/);
  });

  it("fails with STORE_UNAVAILABLE while Redis is gone, writes nothing half, and recovers when it returns", async () => {
    await store.records.put("fault:outbox", "m1", { n: 1 }, { sortKey: 1 });
    stopRedis();
    await expect(store.kv.set("fault:k", 1)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    await expect(store.records.put("fault:outbox", "m2", { n: 2 }, { sortKey: 2 })).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
    });
    // The client reconnects by itself; what was written before is there (append-only file), what
    // failed is not, and each write was all or nothing.
    startRedis();
    await vi.waitFor(async () => expect(await store.kv.get("fault:k")).toBeNull(), { timeout: 15_000, interval: 100 });
    await store.records.put("fault:outbox", "m3", { n: 3 }, { sortKey: 3 });
    expect((await store.records.scan("fault:outbox")).map((r) => r.id)).toEqual(["m1", "m3"]);
  });

  it("MULTI writes are all or nothing: a record is in both its hash and its index, or in neither", async () => {
    await store.records.put("fault:pair", "a", 1, { sortKey: 1 });
    const raw = execFileSync("redis-cli", ["-p", String(new URL(redisUrl()).port), "ZCARD", "lb:recz:fault:pair"]).toString().trim();
    const fields = execFileSync("redis-cli", ["-p", String(new URL(redisUrl()).port), "HLEN", "lb:rec:fault:pair"]).toString().trim();
    expect([raw, fields]).toEqual(["1", "1"]);
  });
});
