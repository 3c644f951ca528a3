import "server-only";
import { randomUUID } from "node:crypto";
import { getStore, type Store } from "@/lib/store";

/**
 * Background work: a job is data (a name and a JSON payload) plus a processor registered under
 * that name, as in BullMQ. Jobs wait in the store (a record collection ordered by due time), so one
 * poller serves SQLite and Redis alike; every instance runs a worker, and a lease per job lets
 * exactly one of them run it. A job that throws is retried with exponential backoff up to its
 * attempts, then kept aside in `jobs:failed`. A worker that stops (SIGTERM) lets running jobs
 * finish for a grace period, then aborts them and hands them back (their lease released, the job
 * due again); a worker that dies loses its leases at expiry and another instance runs the job.
 * So a job runs at least once and never twice at the same time: processors must tolerate a
 * repeat after a crash (the outbox checks its idempotency claim, for instance).
 */

export interface JobContext {
  id: string;
  /** 1 for the first run. */
  attempt: number;
  /** Aborted when the worker shuts down past its grace period: stop, the job will run again. */
  signal: AbortSignal;
}

export interface JobDefinition<P> {
  name: string;
  run(payload: P, context: JobContext): Promise<void>;
  /** Runs in all, the first included (default 5). */
  attempts?: number;
  /** Delay before the next attempt after `attempt` failed (default 2^attempt × 5 s, capped at 1 h). */
  backoffMs?(attempt: number): number;
  /** Repeat every so often (a schedule); the next run is due this long after one ends. */
  everyMs?: number;
}

interface QueuedJob {
  name: string;
  payload: unknown;
  attempt: number;
  lastError?: string;
}

const QUEUE = "jobs";
const FAILED = "jobs:failed";
const LEASE_MS = 30_000;
/** Channel of the store's pub/sub on which an enqueue tells every instance's worker when a job is due. */
const DUE_CHANNEL = "jobs:due";
/**
 * Jobs due within this long of being queued are announced, so a worker runs them at their time
 * rather than at its next poll (an undo window of 0–30 s, Send now, a retry a minute later). Later
 * ones (a message scheduled for tomorrow) are left to the poll: no timer waits a day.
 */
const WAKE_HORIZON_MS = 2 * 60_000;
/** A worker keeps at most this many wake-up timers; past that the poll finds the rest. */
const MAX_WAKE_TIMERS = 1000;

// The wake-up functions of the workers running in this process: process-local resource handling
// (each holds timers), like the IMAP pool's sockets, not server state. Another instance's workers
// hear of a job through the store's pub/sub instead. On globalThis so that route bundles which each
// load this module reach the worker instrumentation.ts started.
const wakersKey = Symbol.for("letterbox.jobWakers");
const localWakers = (): Set<(dueAt: number) => void> => {
  // Per-process resource (timers of this process's workers), not server state: see above.
  const slot = globalThis as typeof globalThis & { [wakersKey]?: Set<(dueAt: number) => void> };
  slot[wakersKey] ??= new Set();
  return slot[wakersKey];
};

// The processors this process registered at module load: code, not state (every instance
// registers the same ones). Queued jobs, leases and failures are all in the store.
const definitions = (): Map<string, JobDefinition<unknown>> => {
  // On globalThis so that route bundles which each load this module share one registry. Code, not
  // server state: every instance registers the same processors at load.
  const slot = globalThis as typeof globalThis & { [definitionsKey]?: Map<string, JobDefinition<unknown>> };
  slot[definitionsKey] ??= new Map();
  return slot[definitionsKey];
};
const definitionsKey = Symbol.for("letterbox.jobDefinitions");

/** Registers a processor; call at module load of the feature that owns the job. */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  definitions().set(definition.name, definition as JobDefinition<unknown>);
  return definition;
}

/**
 * Queues a run of `name` with `payload`, due at `runAt` (default now). With `id`, queuing again
 * replaces the waiting run of that id instead of adding another (one outbox send per message).
 */
export async function enqueue<P>(name: string, payload: P, options: { runAt?: number; id?: string } = {}): Promise<string> {
  const id = options.id ?? randomUUID();
  const job: QueuedJob = { name, payload, attempt: 1 };
  const dueAt = options.runAt ?? Date.now();
  const store = await getStore();
  await store.records.put(QUEUE, id, job, { sortKey: dueAt });
  if (dueAt - Date.now() <= WAKE_HORIZON_MS) {
    // This instance's workers at once; the others through the store (in-process with SQLite, where
    // there is only this instance). Only a hint: a lost message leaves the job to the next poll.
    for (const wake of localWakers()) wake(dueAt);
    await store.pubsub.publish(DUE_CHANNEL, { dueAt }).catch(() => undefined);
  }
  return id;
}

/** Removes a waiting job (a cancelled scheduled send). A run already under way finishes. */
export async function cancel(id: string): Promise<void> {
  await (await getStore()).records.delete(QUEUE, id);
}

export async function failedJobs(): Promise<{ id: string; name: string; lastError?: string }[]> {
  const failed = await (await getStore()).records.scan<QueuedJob>(FAILED);
  return failed.map((r) => ({ id: r.id, name: r.value.name, lastError: r.value.lastError }));
}

const defaultBackoff = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 60 * 60_000);

export interface WorkerOptions {
  /** How often to look for due jobs (default 1 s). */
  pollMs?: number;
  /** Jobs run at once by this worker (default 2). */
  concurrency?: number;
  /** How long stop() lets running jobs finish before aborting them (default 10 s). */
  graceMs?: number;
  /**
   * How long a job's lease lasts unless renewed (default 30 s): a worker that dies mid-job loses
   * it at expiry and another instance runs the job again.
   */
  leaseMs?: number;
  /** Identifies this worker in leases (default: a random id per worker). */
  workerId?: string;
  onError?(error: unknown): void;
  /** Keep the process alive while the worker runs (a worker process of its own); default false. */
  keepAlive?: boolean;
}

export interface Worker {
  readonly id: string;
  /** Runs one round now (tests, and the poll timer). Resolves when the round's jobs were started. */
  poll(): Promise<void>;
  /** Runs a round at `dueAt` (now if past): a job was queued for then. enqueue() calls it. */
  wake(dueAt: number): void;
  /**
   * Resolves once the worker hears the store's wake-ups (its subscription is in place) and has
   * looked once for jobs queued before that: from then on a job queued anywhere runs at once.
   */
  readonly ready: Promise<void>;
  /** Resolves when no job of this worker is running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startWorker(options: WorkerOptions = {}): Worker {
  const id = options.workerId ?? `worker-${randomUUID()}`;
  const concurrency = options.concurrency ?? 2;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const onError = options.onError ?? ((error) => console.error("[letterbox] job worker:", (error as Error)?.message ?? error));
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  let stopping = false;
  let polling: Promise<void> | null = null;
  // A wake-up that came while a round was scanning: that scan may have missed the job, so another follows.
  let pollAgain = false;
  const wakeTimers = new Map<number, NodeJS.Timeout>();

  // Jobs of a schedule (everyMs) are queued once per process start; the fixed id makes every
  // instance's queuing one job, not one each.
  const seeded = (async () => {
    const store = await getStore();
    for (const def of definitions().values()) {
      if (def.everyMs && !(await store.records.get(QUEUE, `every:${def.name}`))) {
        await store.records.put(QUEUE, `every:${def.name}`, { name: def.name, payload: null, attempt: 1 } satisfies QueuedJob, {
          sortKey: Date.now(),
        });
      }
    }
  })().catch(onError);

  /** Runs a job whose lease this worker has just taken (pollOnce), and gives the lease back after. */
  async function runLeasedJob(store: Store, jobId: string, abort: AbortController): Promise<void> {
    const lease = `job:${jobId}`;
    const renew = setInterval(() => {
      store.leases.renew(lease, id, leaseMs).then(
        (held) => held || abort.abort(new Error("lease lost")),
        () => undefined,
      );
    }, leaseMs / 3);
    try {
      // Read again under the lease: another instance may have finished or rescheduled it meanwhile.
      const record = await store.records.get<QueuedJob>(QUEUE, jobId);
      if (!record || record.sortKey > Date.now()) return;
      const job = record.value;
      const def = definitions().get(job.name);
      if (!def) {
        // Not this process's to know (another version of the app registered it): leave it.
        return;
      }
      try {
        await def.run(job.payload, { id: jobId, attempt: job.attempt, signal: abort.signal });
        if (def.everyMs) await store.records.put(QUEUE, jobId, { ...job, attempt: 1 }, { sortKey: Date.now() + def.everyMs });
        else await store.records.delete(QUEUE, jobId);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (abort.signal.aborted && stopping) {
          // Handed back: due again at once, for whichever instance is still running.
          return;
        }
        const attempts = def.attempts ?? 5;
        if (job.attempt >= attempts && !def.everyMs) {
          await store.records.put(FAILED, jobId, { ...job, lastError: message }, { sortKey: Date.now() });
          await store.records.delete(QUEUE, jobId);
          onError(new Error(`job ${job.name} (${jobId}) failed for good after ${job.attempt} attempts: ${message}`));
        } else {
          const delay = (def.backoffMs ?? defaultBackoff)(job.attempt);
          const next = def.everyMs ? { ...job, attempt: 1, lastError: message } : { ...job, attempt: job.attempt + 1, lastError: message };
          await store.records.put(QUEUE, jobId, next, { sortKey: Date.now() + (def.everyMs ? Math.max(delay, def.everyMs) : delay) });
        }
      }
    } finally {
      clearInterval(renew);
      await store.leases.release(lease, id).catch(() => undefined);
    }
  }

  async function pollOnce(): Promise<void> {
    if (stopping) return;
    await seeded;
    const store = await getStore();
    const free = concurrency - running.size;
    if (free <= 0) return;
    const due = await store.records.scan<QueuedJob>(QUEUE, { maxSortKey: Date.now(), limit: free * 4 });
    for (const record of due) {
      if (stopping || running.size >= concurrency) break;
      if (running.has(record.id) || !definitions().has(record.value.name)) continue;
      // The lease is taken before the job counts against this worker's concurrency: the oldest due
      // jobs are often the ones another worker is running (they stay queued until done), and a
      // slot spent finding that out would leave the next due job waiting for the following round
      // (with two instances polling alike, the second could find only the first one's jobs).
      if (!(await store.leases.acquire(`job:${record.id}`, id, leaseMs))) continue;
      if (stopping) {
        await store.leases.release(`job:${record.id}`, id).catch(() => undefined);
        break;
      }
      const abort = new AbortController();
      const done = runLeasedJob(store, record.id, abort)
        .catch(onError)
        .finally(() => running.delete(record.id));
      running.set(record.id, { done, abort });
    }
  }

  const poll = (): Promise<void> => {
    polling ??= pollOnce()
      .catch(onError)
      .finally(() => {
        polling = null;
        if (pollAgain && !stopping) {
          pollAgain = false;
          void poll();
        }
      });
    return polling;
  };
  const pollNow = () => {
    if (polling) pollAgain = true;
    else void poll();
  };
  const wake = (dueAt: number) => {
    if (stopping) return;
    const delay = dueAt - Date.now();
    if (delay <= 0) return pollNow();
    if (wakeTimers.has(dueAt) || wakeTimers.size >= MAX_WAKE_TIMERS) return;
    // A millisecond late rather than early: a job is due when its time is <= Date.now().
    const wakeTimer = setTimeout(() => {
      wakeTimers.delete(dueAt);
      pollNow();
    }, delay + 2);
    wakeTimer.unref();
    wakeTimers.set(dueAt, wakeTimer);
  };
  localWakers().add(wake);
  const unsubscribe = getStore()
    .then((store) => store.pubsub.subscribe<{ dueAt?: unknown }>(DUE_CHANNEL, (message) => typeof message?.dueAt === "number" && wake(message.dueAt)))
    .catch((error: unknown) => {
      onError(error);
      return async () => undefined;
    });
  // A wake-up published before the subscription was in place was not heard: one round once it is.
  const ready = unsubscribe.then(() => (stopping ? undefined : poll())).catch(onError);
  const timer = setInterval(() => void poll(), options.pollMs ?? 1000);
  if (!options.keepAlive) timer.unref();

  return {
    id,
    ready,
    poll,
    wake,
    async idle() {
      while (running.size) await Promise.all([...running.values()].map((r) => r.done));
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      localWakers().delete(wake);
      for (const t of wakeTimers.values()) clearTimeout(t);
      wakeTimers.clear();
      await (await unsubscribe)().catch(() => undefined);
      await polling;
      const all = Promise.all([...running.values()].map((r) => r.done));
      const grace = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), options.graceMs ?? 10_000).unref());
      if ((await Promise.race([all.then(() => "done" as const), grace])) === "timeout") {
        for (const r of running.values()) r.abort.abort(new Error("worker stopping"));
        await all;
      }
    },
  };
}
