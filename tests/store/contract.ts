import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Store } from "@/lib/store";

/**
 * The one contract every store backend passes: run by lib/store/sqlite.test.ts against SQLite and by
 * tests/integration/store-redis.test.ts against a real redis-server. Keys carry a random prefix so
 * runs never see each other's entries.
 */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    const p = `t-${randomUUID().slice(0, 8)}:`;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it("kv: set, get, overwrite, delete; values round-trip as JSON", async () => {
      expect(await store.kv.get(`${p}missing`)).toBeNull();
      const value = { a: 1, b: ["x", null, true], c: "ü ✓", d: { e: 1.5 } };
      await store.kv.set(`${p}k`, value);
      expect(await store.kv.get<typeof value>(`${p}k`)).toEqual(value);
      await store.kv.set(`${p}k`, "second");
      expect(await store.kv.get<string>(`${p}k`)).toBe("second");
      await store.kv.set(`${p}zero`, 0);
      expect(await store.kv.get<number>(`${p}zero`)).toBe(0);
      await store.kv.delete(`${p}k`);
      expect(await store.kv.get(`${p}k`)).toBeNull();
      await store.kv.delete(`${p}never-there`);
    });

    it("kv: an entry with ttlMs disappears once it expires; one without stays", async () => {
      await store.kv.set(`${p}short`, 1, { ttlMs: 60 });
      await store.kv.set(`${p}long`, 2, { ttlMs: 60_000 });
      await store.kv.set(`${p}forever`, 3);
      expect(await store.kv.get(`${p}short`)).toBe(1);
      await vi.waitFor(async () => expect(await store.kv.get(`${p}short`)).toBeNull(), { timeout: 3000, interval: 20 });
      expect(await store.kv.get(`${p}long`)).toBe(2);
      expect(await store.kv.get(`${p}forever`)).toBe(3);
      // Setting again without a ttl makes the entry permanent.
      await store.kv.set(`${p}long`, 4);
      expect(await store.kv.get(`${p}long`)).toBe(4);
    });

    it("kv: setIfAbsent lets exactly one of many concurrent callers win, and again after expiry", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.kv.setIfAbsent(`${p}claim`, { i }, { ttlMs: 80 })));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await store.kv.get(`${p}claim`)).toEqual({ i: winner });
      expect(await store.kv.setIfAbsent(`${p}claim`, { i: -1 })).toBe(false);
      await vi.waitFor(async () => expect(await store.kv.setIfAbsent(`${p}claim`, { i: 99 })).toBe(true), { timeout: 3000, interval: 20 });
      expect(await store.kv.get(`${p}claim`)).toEqual({ i: 99 });
    });

    it("counters: count within a window that starts at the first increment, then start again", async () => {
      expect(await store.counters.get(`${p}c`)).toBe(0);
      expect(await store.counters.increment(`${p}c`, { windowMs: 150 })).toBe(1);
      expect(await store.counters.increment(`${p}c`, { windowMs: 150 })).toBe(2);
      expect(await store.counters.increment(`${p}c`, { windowMs: 150, by: 3 })).toBe(5);
      expect(await store.counters.get(`${p}c`)).toBe(5);
      await vi.waitFor(async () => expect(await store.counters.get(`${p}c`)).toBe(0), { timeout: 3000, interval: 20 });
      expect(await store.counters.increment(`${p}c`, { windowMs: 60_000 })).toBe(1);
      await store.counters.reset(`${p}c`);
      expect(await store.counters.get(`${p}c`)).toBe(0);
    });

    it("counters: concurrent increments are all counted", async () => {
      await Promise.all(Array.from({ length: 50 }, () => store.counters.increment(`${p}many`, { windowMs: 60_000 })));
      expect(await store.counters.get(`${p}many`)).toBe(50);
    });

    it("leases: one holder at a time; renew, release, and expiry hand it on", async () => {
      const lease = `${p}job`;
      const contenders = await Promise.all(["a", "b", "c"].map((h) => store.leases.acquire(lease, h, 2000)));
      expect(contenders.filter(Boolean)).toHaveLength(1);
      const winner = ["a", "b", "c"][contenders.indexOf(true)]!;
      const loser = winner === "a" ? "b" : "a";
      expect(await store.leases.holder(lease)).toBe(winner);
      expect(await store.leases.renew(lease, loser, 100)).toBe(false);
      expect(await store.leases.renew(lease, winner, 60_000)).toBe(true);
      // Re-acquiring one's own lease succeeds (a holder restarting its work).
      expect(await store.leases.acquire(lease, winner, 60_000)).toBe(true);
      await store.leases.release(lease, loser);
      expect(await store.leases.holder(lease)).toBe(winner);
      await store.leases.release(lease, winner);
      expect(await store.leases.holder(lease)).toBeNull();
      expect(await store.leases.acquire(lease, loser, 60)).toBe(true);
      // A holder that stops renewing loses the lease at expiry.
      await vi.waitFor(async () => expect(await store.leases.acquire(lease, winner, 60_000)).toBe(true), { timeout: 3000, interval: 20 });
      expect(await store.leases.renew(lease, loser, 100)).toBe(false);
      expect(await store.leases.holder(lease)).toBe(winner);
    });

    it("records: put, get, scan in sort-key order up to a bound, count, delete, clear", async () => {
      const c = `${p}outbox:alice`;
      await store.records.put(c, "m3", { subject: "third" }, { sortKey: 3000 });
      await store.records.put(c, "m1", { subject: "first" }, { sortKey: 1000 });
      await store.records.put(c, "m2", { subject: "second" }, { sortKey: 2000 });
      await store.records.put(`${p}outbox:bob`, "m1", { subject: "bob's" }, { sortKey: 1 });
      expect(await store.records.get(c, "m1")).toEqual({ id: "m1", value: { subject: "first" }, sortKey: 1000 });
      expect(await store.records.get(c, "nope")).toBeNull();
      expect((await store.records.scan(c)).map((r) => r.id)).toEqual(["m1", "m2", "m3"]);
      expect((await store.records.scan(c, { maxSortKey: 2000 })).map((r) => r.id)).toEqual(["m1", "m2"]);
      expect((await store.records.scan(c, { limit: 1 })).map((r) => r.id)).toEqual(["m1"]);
      expect(await store.records.count(c)).toBe(3);
      // Putting again replaces value and sort key.
      await store.records.put(c, "m1", { subject: "first, later" }, { sortKey: 5000 });
      expect((await store.records.scan(c)).map((r) => [r.id, r.sortKey])).toEqual([
        ["m2", 2000],
        ["m3", 3000],
        ["m1", 5000],
      ]);
      await store.records.delete(c, "m2");
      expect(await store.records.count(c)).toBe(2);
      await store.records.clear(c);
      expect(await store.records.scan(c)).toEqual([]);
      expect(await store.records.count(`${p}outbox:bob`)).toBe(1);
    });

    it("records: getMany, putMany and deleteMany act on several ids at once, in the order asked", async () => {
      const c = `${p}rows`;
      await store.records.putMany(c, [
        { id: "7", value: { subject: "seven" }, sortKey: 70 },
        { id: "3", value: { subject: "three" }, sortKey: 30 },
        { id: "5", value: { subject: "five" } },
      ]);
      expect(await store.records.getMany(c, ["3", "4", "7", "5"])).toEqual([
        { id: "3", value: { subject: "three" }, sortKey: 30 },
        null,
        { id: "7", value: { subject: "seven" }, sortKey: 70 },
        { id: "5", value: { subject: "five" }, sortKey: 0 },
      ]);
      expect(await store.records.getMany(c, [])).toEqual([]);
      expect((await store.records.scan(c)).map((r) => r.id)).toEqual(["5", "3", "7"]);
      await store.records.deleteMany(c, ["3", "5", "nope"]);
      expect((await store.records.scan(c)).map((r) => r.id)).toEqual(["7"]);
      await store.records.putMany(c, [{ id: "8", value: 8, sortKey: 1 }], { ttlMs: 60 });
      await vi.waitFor(async () => expect(await store.records.getMany(c, ["8", "7"])).toEqual([null, expect.objectContaining({ id: "7" })]), {
        timeout: 3000,
        interval: 20,
      });
    });

    it("records: a record with ttlMs disappears from get, scan and count", async () => {
      const c = `${p}expiring`;
      await store.records.put(c, "short", 1, { ttlMs: 60, sortKey: 1 });
      await store.records.put(c, "long", 2, { sortKey: 2 });
      await vi.waitFor(async () => expect(await store.records.get(c, "short")).toBeNull(), { timeout: 3000, interval: 20 });
      expect((await store.records.scan(c)).map((r) => r.id)).toEqual(["long"]);
      expect(await store.records.count(c)).toBe(1);
    });

    it("pubsub: subscribers of a channel receive what is published, until they unsubscribe", async () => {
      const got: unknown[] = [];
      const other: unknown[] = [];
      const off = await store.pubsub.subscribe(`${p}ch`, (m) => got.push(m));
      await store.pubsub.subscribe(`${p}other`, (m) => other.push(m));
      await store.pubsub.publish(`${p}ch`, { kind: "sent", n: 1 });
      await vi.waitFor(() => expect(got).toEqual([{ kind: "sent", n: 1 }]), { timeout: 3000, interval: 10 });
      await off();
      await store.pubsub.publish(`${p}ch`, { kind: "sent", n: 2 });
      await store.pubsub.publish(`${p}other`, "marker");
      // The marker on the other channel arrives after the message that must not.
      await vi.waitFor(() => expect(other).toEqual(["marker"]), { timeout: 3000, interval: 10 });
      expect(got).toHaveLength(1);
    });

    it("reports its size", async () => {
      expect(await store.sizeBytes()).toBeGreaterThan(0);
    });
  });
}
