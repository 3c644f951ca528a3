import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { closeStore, getStore } from "@/lib/store";
import { enqueue } from "@/lib/jobs";
import { redisUrl, startRedis } from "./redis-support";

// Two worker processes, as two instances (or two `npm run worker`) would run them, against one
// store: every job runs once, and a job whose worker is killed mid-run is finished by the other
// once the lease expires. lib/jobs/jobs.test.ts shows the same with two workers in one process;
// here the processes share nothing but the store (SQLite file in WAL mode, or Redis).

const root = path.resolve(__dirname, "../..");
const fixture = path.join(__dirname, "fixtures/tally-worker.ts");
const savedEnv = { LETTERBOX_DATA_DIR: process.env.LETTERBOX_DATA_DIR, LETTERBOX_REDIS_URL: process.env.LETTERBOX_REDIS_URL };

interface Run {
  job: string;
  n: number;
  pid: number;
  phase: "start" | "done";
}

const children: ChildProcess[] = [];

/**
 * A lease of 2 s lets the kill test see the job taken over quickly. Where two live workers must
 * not both run a job, the lease must outlast the longest stall of a busy machine — a loaded CI box
 * with a build beside it, or better-sqlite3 waiting synchronously up to its 5 s busy timeout — or
 * the other worker rightly takes the job for abandoned (at-least-once, as lib/jobs says).
 */
function startWorkerProcess(env: Record<string, string>, collection: string, { pollMs = 40, leaseMs = 2_000 } = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", fixture], {
    cwd: root,
    env: { ...process.env, ...env, TALLY_COLLECTION: collection, TALLY_LEASE_MS: String(leaseMs), TALLY_POLL_MS: String(pollMs) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready: ${err}`)));
  });
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  }
  await closeStore();
});

afterAll(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const sqliteDir = mkdtempSync(path.join(tmpdir(), "letterbox-workers-"));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));
beforeAll(() => startRedis());

const backends: [string, () => Record<string, string>][] = [
  ["sqlite", () => ({ LETTERBOX_DATA_DIR: sqliteDir, LETTERBOX_REDIS_URL: "" })],
  ["redis", () => ({ LETTERBOX_REDIS_URL: redisUrl() })],
];

describe.each(backends)("two worker processes on the %s store", (name, backendEnv) => {
  function useBackend(): Record<string, string> {
    const env = backendEnv();
    for (const [name, value] of Object.entries(env)) {
      if (value) process.env[name] = value;
      else delete process.env[name];
    }
    return env;
  }

  async function runs(collection: string): Promise<Run[]> {
    return (await (await getStore()).records.scan<Run>(collection)).map((r) => r.value);
  }

  it("run each of 200 jobs exactly once between them", async () => {
    const env = useBackend();
    const collection = `test:tally:${Date.now()}`;
    // The production lease (30 s): a stall shorter than that never hands a running job to the other.
    const leaseMs = 30_000;
    const [a, b] = await Promise.all([startWorkerProcess(env, collection, { leaseMs }), startWorkerProcess(env, collection, { leaseMs })]);
    const ids = new Set<string>();
    for (let n = 0; n < 200; n++) ids.add(await enqueue("test-tally", { n }));

    await vi.waitFor(
      async () => {
        const done = (await runs(collection)).filter((r) => r.phase === "done" && ids.has(r.job));
        expect(new Set(done.map((r) => r.job)).size).toBe(200);
      },
      { timeout: 60_000, interval: 200 },
    );
    const all = (await runs(collection)).filter((r) => ids.has(r.job));
    const starts = new Map<string, number>();
    for (const r of all) if (r.phase === "start") starts.set(r.job, (starts.get(r.job) ?? 0) + 1);
    expect([...starts.values()].filter((count) => count !== 1)).toEqual([]);
    expect(starts.size).toBe(200);
    // Both processes took jobs: the lease, not luck, kept them from running the same one.
    const byPid = new Set(all.map((r) => r.pid));
    expect(byPid).toEqual(new Set([a.pid, b.pid]));
  });

  // With SQLite the store's pub/sub is in-process (one instance), so only Redis carries the wake-up.
  (name === "redis" ? it : it.skip)("run a job queued in another process at once, woken through the store, not at the next poll", async () => {
    const env = useBackend();
    const collection = `test:tally:${Date.now()}`;
    // Its own poll is a minute away: only the enqueue's message can make it run within seconds.
    const worker = await startWorkerProcess(env, collection, { pollMs: 60_000 });
    const queuedAt = Date.now();
    const id = await enqueue("test-tally", { n: 1 });
    await vi.waitFor(async () => expect((await runs(collection)).some((r) => r.job === id && r.phase === "done")).toBe(true), {
      timeout: 10_000,
      interval: 20,
    });
    expect(Date.now() - queuedAt).toBeLessThan(10_000);
    expect((await runs(collection)).filter((r) => r.job === id).map((r) => r.pid)).toEqual([worker.pid, worker.pid]);
  });

  it("finish a job in the other process when the one running it is killed", async () => {
    const env = useBackend();
    const collection = `test:tally:${Date.now()}`;
    const goKey = `test:tally-go:${Date.now()}`;
    const first = await startWorkerProcess(env, collection);
    const id = await enqueue("test-tally", { n: 1, waitForKey: goKey });
    await vi.waitFor(async () => expect((await runs(collection)).some((r) => r.job === id && r.phase === "start")).toBe(true), {
      timeout: 30_000,
      interval: 100,
    });
    // SIGKILL: no clean shutdown, no release of the lease; the job stays in the queue.
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const second = await startWorkerProcess(env, collection);
    await (await getStore()).kv.set(goKey, true, { ttlMs: 60_000 });
    await vi.waitFor(
      async () => expect((await runs(collection)).filter((r) => r.job === id && r.phase === "done").map((r) => r.pid)).toEqual([second.pid]),
      { timeout: 30_000, interval: 100 },
    );
    const starts = (await runs(collection)).filter((r) => r.job === id && r.phase === "start").map((r) => r.pid);
    expect(starts).toEqual(expect.arrayContaining([first.pid, second.pid]));
    expect(starts).toHaveLength(2);
  });
});
