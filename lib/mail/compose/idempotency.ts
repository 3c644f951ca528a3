import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { getStore } from "@/lib/store";

/**
 * One send per idempotency key, whichever instance gets the retry and across restarts. The composer
 * makes one key per message; the first request claims it in the store (setIfAbsent, atomic on
 * SQLite and Redis alike) and runs the work, renewing a heartbeat while it runs. A repeat — a
 * double click, a retry after a timeout, the same request landing on another instance — waits for
 * that outcome instead of sending again. A send that failed releases its claim, so the same key may
 * try again. A claim whose heartbeat stopped (the process died mid-send) is never run again blindly:
 * the message may have gone out, so the caller is told to check Sent (SEND_IN_DOUBT).
 */

type Claim<T> =
  | { state: "running"; owner: string; beat: number }
  /** The outcome that counts is recorded as soon as it is known (for a send: SMTP accepted it). */
  | { state: "done"; result: T };

const KEEP_MS = 24 * 60 * 60_000;
const HEARTBEAT_MS = 2_000;
/** A running claim without a heartbeat for this long belongs to a process that is gone. */
const STALE_MS = 15_000;
const POLL_MS = 100;

const claimKey = (scope: string, key: string) => `idempotency:${scope}:${key}`;

export interface RunOnceControls<T> {
  /**
   * Records the outcome before the work has finished: from here on a repeat gets `result` even if
   * this process dies before returning (a send calls it once SMTP accepted the message).
   */
  commit(result: T): Promise<void>;
}

export async function runOnce<T>(scope: string, key: string, work: (controls: RunOnceControls<T>) => Promise<T>): Promise<T> {
  const store = await getStore();
  const id = claimKey(scope, key);
  const owner = randomUUID();
  const waitUntil = Date.now() + KEEP_MS;
  for (;;) {
    if (await store.kv.setIfAbsent<Claim<T>>(id, { state: "running", owner, beat: Date.now() }, { ttlMs: KEEP_MS })) {
      return runClaimed(id, owner, work);
    }
    const claim = await store.kv.get<Claim<T>>(id);
    if (claim?.state === "done") return claim.result;
    if (claim?.state === "running" && Date.now() - claim.beat > STALE_MS) throw new AppError("SEND_IN_DOUBT");
    if (Date.now() > waitUntil) throw new AppError("SEND_IN_DOUBT");
    // Running elsewhere (or released a moment ago: then the next turn claims it).
    if (claim) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function runClaimed<T>(id: string, owner: string, work: (controls: RunOnceControls<T>) => Promise<T>): Promise<T> {
  const store = await getStore();
  let committed = false;
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (committed) return;
    beating = store.kv.set<Claim<T>>(id, { state: "running", owner, beat: Date.now() }, { ttlMs: KEEP_MS }).catch(() => undefined);
  }, HEARTBEAT_MS);
  const stopBeating = async () => {
    clearInterval(timer);
    await beating;
  };
  const commit = async (result: T) => {
    committed = true;
    await stopBeating();
    await store.kv.set<Claim<T>>(id, { state: "done", result }, { ttlMs: KEEP_MS });
  };
  try {
    const result = await work({ commit });
    await commit(result);
    return result;
  } catch (error) {
    await stopBeating();
    // Once committed, the outcome stands; before, the claim goes so the same key may try again.
    if (!committed) await store.kv.delete(id);
    throw error;
  }
}
