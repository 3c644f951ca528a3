import { describe, expect, it, vi } from "vitest";
import { getStore } from "@/lib/store";
import { defineJob, enqueue, failedJobs, startWorker } from "./index";

// Real store (SQLite in a temp folder, tests/store/unit-setup.ts); two workers stand for two instances.
describe("jobs", () => {
  it("runs a due job exactly once even with two workers polling at once, and not before it is due", async () => {
    const runs: string[] = [];
    defineJob<{ n: number }>({
      name: "count",
      run: async (payload, ctx) => {
        runs.push(`${payload.n}@${ctx.attempt}`);
        await new Promise((r) => setTimeout(r, 30));
      },
    });
    const later = await enqueue("count", { n: 2 }, { runAt: Date.now() + 60_000 });
    await enqueue("count", { n: 1 });
    const a = startWorker({ pollMs: 60_000 });
    const b = startWorker({ pollMs: 60_000 });
    await Promise.all([a.poll(), b.poll(), a.poll(), b.poll()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(runs).toEqual(["1@1"]);
    expect((await (await getStore()).records.get("jobs", later))?.value).toMatchObject({ payload: { n: 2 } });
    await Promise.all([a.stop(), b.stop()]);
  });

  it("a second worker takes the next due job while the first runs the oldest, rather than wait on that one", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ran: string[] = [];
    defineJob<{ n: number }>({
      name: "in-turn",
      run: async (payload) => {
        ran.push(`start ${payload.n}`);
        if (payload.n === 1) await held;
        ran.push(`done ${payload.n}`);
      },
    });
    const a = startWorker({ pollMs: 60_000, concurrency: 1 });
    await a.ready;
    await enqueue("in-turn", { n: 1 });
    await vi.waitFor(() => expect(ran).toContain("start 1"), { timeout: 2_000, interval: 5 });
    // Job 1, the oldest, stays queued while the first worker runs it; job 2 is due behind it.
    await enqueue("in-turn", { n: 2 });
    const b = startWorker({ pollMs: 60_000, concurrency: 1 });
    await b.ready;
    await vi.waitFor(() => expect(ran).toContain("done 2"), { timeout: 2_000, interval: 5 });
    expect(ran).not.toContain("done 1");
    release();
    await Promise.all([a.idle(), b.idle()]);
    expect(ran.filter((r) => r.startsWith("start")).sort()).toEqual(["start 1", "start 2"]);
    await Promise.all([a.stop(), b.stop()]);
  });

  it("runs a job queued for now at once, woken by the enqueue rather than by the next poll", async () => {
    const ranAt: number[] = [];
    defineJob({ name: "wake-now", run: async () => void ranAt.push(Date.now()) });
    // A poll a minute away: only the wake-up can run it within the test's time.
    const w = startWorker({ pollMs: 60_000 });
    const queuedAt = Date.now();
    await enqueue("wake-now", {});
    await vi.waitFor(() => expect(ranAt).toHaveLength(1), { timeout: 2_000, interval: 5 });
    expect(ranAt[0]! - queuedAt).toBeLessThan(1_000);
    await w.stop();
  });

  it("runs a job queued before the worker started once it is ready, not at the next poll", async () => {
    const ran: string[] = [];
    defineJob({ name: "queued-early", run: async (_, ctx) => void ran.push(ctx.id) });
    // Queued while no worker listens: its wake-up is heard by nobody.
    const id = await enqueue("queued-early", {});
    const w = startWorker({ pollMs: 60_000 });
    await w.ready;
    await w.idle();
    expect(ran).toEqual([id]);
    await w.stop();
  });

  it("runs a job queued a moment ahead at its time, not before", async () => {
    const ranAt: number[] = [];
    defineJob({ name: "wake-later", run: async () => void ranAt.push(Date.now()) });
    const w = startWorker({ pollMs: 60_000 });
    const dueAt = Date.now() + 300;
    await enqueue("wake-later", {}, { runAt: dueAt });
    await vi.waitFor(() => expect(ranAt).toHaveLength(1), { timeout: 3_000, interval: 5 });
    expect(ranAt[0]!).toBeGreaterThanOrEqual(dueAt);
    expect(ranAt[0]! - dueAt).toBeLessThan(500);
    await w.stop();
  });

  it("retries a failing job with backoff, then keeps it aside as failed", async () => {
    const attempts: number[] = [];
    defineJob({
      name: "flaky",
      attempts: 3,
      backoffMs: () => 0,
      run: async (_p, ctx) => {
        attempts.push(ctx.attempt);
        throw new Error(`boom ${ctx.attempt}`);
      },
    });
    const id = await enqueue("flaky", {});
    const w = startWorker({ pollMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      await w.poll();
      await w.idle();
    }
    expect(attempts).toEqual([1, 2, 3]);
    expect(await failedJobs()).toContainEqual({ id, name: "flaky", lastError: "boom 3" });
    await w.stop();
  });

  it("on stop, lets a running job finish within the grace period", async () => {
    let finished = false;
    defineJob({
      name: "slow",
      run: async () => {
        await new Promise((r) => setTimeout(r, 100));
        finished = true;
      },
    });
    const id = await enqueue("slow", {});
    const w = startWorker({ pollMs: 60_000, graceMs: 5_000 });
    await w.poll();
    await w.stop();
    expect(finished).toBe(true);
    expect(await (await getStore()).records.get("jobs", id)).toBeNull();
  });

  it("on stop past the grace period, aborts the job and hands it back for another worker", async () => {
    defineJob({
      name: "stuck",
      run: (_p, ctx) =>
        new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true })),
    });
    const id = await enqueue("stuck", {});
    const w = startWorker({ pollMs: 60_000, graceMs: 50 });
    await w.poll();
    await w.stop();
    const store = await getStore();
    expect((await store.records.get("jobs", id))?.value).toMatchObject({ name: "stuck", attempt: 1 });
    expect(await store.leases.holder(`job:${id}`)).toBeNull();
    await store.records.delete("jobs", id);
  });

  it("repeats a scheduled job", async () => {
    let runs = 0;
    defineJob({ name: "tick", everyMs: 1, run: async () => void runs++ });
    const w = startWorker({ pollMs: 60_000 });
    await vi.waitFor(
      async () => {
        await w.poll();
        await w.idle();
        expect(runs).toBeGreaterThanOrEqual(2);
      },
      { timeout: 3000, interval: 10 },
    );
    await w.stop();
    await (await getStore()).records.delete("jobs", "every:tick");
  });
});
