import "server-only";
import type { ImapFlow, MailboxObject } from "imapflow";
import { serverConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "./account";
import { createImapClient } from "./connect";
import { isConnectionError, toAppError } from "./to-app-error";

/**
 * One set of authenticated IMAP connections per signed-in session, reused across requests so that
 * a click costs a command, not a TCP + TLS + LOGIN round trip. Each connection serialises mailbox
 * access with imapflow's mailbox lock; the pool grows to a per-account cap when requests overlap
 * (a download in progress must not stall the message list).
 */

interface Slot {
  client: ImapFlow;
  /** Callers currently holding or waiting for this connection. */
  busy: number;
  lastUsed: number;
}

interface AccountPool {
  slots: Slot[];
  /** Connections being opened, counted against the cap so a burst does not overshoot it. */
  opening: number;
}

interface PoolState {
  pools: Map<string, AccountPool>;
  reaper: NodeJS.Timeout | null;
}

// Kept on globalThis so that a dev-server module reload does not orphan live connections.
const globalKey = Symbol.for("letterbox.imapPool");
const state: PoolState = ((globalThis as Record<symbol, unknown>)[globalKey] as PoolState | undefined) ?? {
  pools: new Map(),
  reaper: null,
};
(globalThis as Record<symbol, unknown>)[globalKey] = state;

const RETRY_DELAYS_MS = [150, 600, 2000];

function poolFor(key: string): AccountPool {
  let pool = state.pools.get(key);
  if (!pool) {
    pool = { slots: [], opening: 0 };
    state.pools.set(key, pool);
  }
  return pool;
}

function ensureReaper(): void {
  if (state.reaper) return;
  state.reaper = setInterval(reapIdle, 30_000);
  state.reaper.unref();
}

function reapIdle(): void {
  const idleMs = serverConfig().imapIdleMs;
  const now = Date.now();
  for (const [key, pool] of state.pools) {
    for (const slot of [...pool.slots]) {
      if (slot.busy === 0 && now - slot.lastUsed > idleMs) {
        removeSlot(pool, slot);
        void slot.client.logout().catch(() => slot.client.close());
      }
    }
    if (pool.slots.length === 0 && pool.opening === 0) state.pools.delete(key);
  }
}

function removeSlot(pool: AccountPool, slot: Slot): void {
  const index = pool.slots.indexOf(slot);
  if (index >= 0) pool.slots.splice(index, 1);
}

async function openSlot(account: MailAccount, pool: AccountPool): Promise<Slot> {
  pool.opening += 1;
  const client = createImapClient(account.login, account.password);
  const slot: Slot = { client, busy: 1, lastUsed: Date.now() };
  client.on("error", (error: { code?: string }) => {
    // Never log the error object itself: imapflow may attach the command that failed.
    console.warn(`[letterbox] IMAP connection error (${error?.code ?? "unknown"}); it will be replaced`);
    removeSlot(pool, slot);
  });
  client.on("close", () => removeSlot(pool, slot));
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw toAppError(error);
  } finally {
    pool.opening -= 1;
  }
  pool.slots.push(slot);
  ensureReaper();
  return slot;
}

async function acquire(account: MailAccount): Promise<Slot> {
  const pool = poolFor(account.key);
  const live = pool.slots.filter((s) => s.client.usable);
  for (const dead of pool.slots.filter((s) => !s.client.usable)) removeSlot(pool, dead);

  const idle = live.find((s) => s.busy === 0);
  if (idle) {
    idle.busy += 1;
    return idle;
  }
  if (live.length + pool.opening < serverConfig().imapMaxConnectionsPerAccount) {
    return openSlot(account, pool);
  }
  // At the cap: queue behind the least busy connection (its mailbox lock orders the callers).
  const least = live.reduce<Slot | undefined>((a, b) => (!a || b.busy < a.busy ? b : a), undefined);
  if (least) {
    least.busy += 1;
    return least;
  }
  // Every slot is still opening: open one more rather than wait on a connection we cannot see yet.
  return openSlot(account, pool);
}

function release(slot: Slot): void {
  slot.busy = Math.max(0, slot.busy - 1);
  slot.lastUsed = Date.now();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` on a pooled connection. When the server drops the connection under us, the work is
 * retried on a fresh one with backoff, so the user sees at most a slower response; `work` must
 * therefore be safe to repeat (reads, flag changes). Errors come back as AppErrors where known.
 */
export async function withImapClient<T>(account: MailAccount, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  let attempt = 0;
  for (;;) {
    let slot: Slot | undefined;
    try {
      slot = await acquire(account);
      return await work(slot.client);
    } catch (error) {
      const retriable = isConnectionError(error) && attempt < RETRY_DELAYS_MS.length;
      if (!retriable) throw toAppError(error);
      if (slot) {
        removeSlot(poolFor(account.key), slot);
        slot.client.close();
      }
      await sleep(RETRY_DELAYS_MS[attempt] ?? 2000);
      attempt += 1;
    } finally {
      if (slot) release(slot);
    }
  }
}

export interface MailboxContext {
  client: ImapFlow;
  mailbox: MailboxObject;
  uidValidity: string;
}

/**
 * Runs `work` with `path` selected and locked on a pooled connection. When `expectedUidValidity` is
 * given and the server's differs, every UID the caller holds is stale (RFC 3501 §2.3.1.1), so this
 * refuses rather than act on another message.
 */
export async function withMailbox<T>(
  account: MailAccount,
  path: string,
  work: (context: MailboxContext) => Promise<T>,
  options: { expectedUidValidity?: string } = {},
): Promise<T> {
  return withImapClient(account, async (client) => {
    const lock = await client.getMailboxLock(path).catch((error: unknown) => {
      if (isConnectionError(error)) throw error;
      throw new AppError("FOLDER_NOT_FOUND", undefined, { cause: error });
    });
    try {
      const mailbox = client.mailbox;
      if (!mailbox) throw new AppError("FOLDER_NOT_FOUND");
      const uidValidity = mailbox.uidValidity.toString();
      if (options.expectedUidValidity && options.expectedUidValidity !== uidValidity) {
        throw new AppError("FOLDER_CHANGED");
      }
      return await work({ client, mailbox, uidValidity });
    } finally {
      lock.release();
    }
  });
}

/**
 * Like withMailbox, but the connection and lock stay held until the caller calls `done` — for a
 * download stream that outlives the function that opened it.
 */
export async function holdMailbox(
  account: MailAccount,
  path: string,
  expectedUidValidity: string,
): Promise<MailboxContext & { done: () => void }> {
  const slot = await acquire(account).catch((error: unknown) => {
    throw toAppError(error);
  });
  let lock: { release: () => void } | undefined;
  try {
    lock = await slot.client.getMailboxLock(path);
    const mailbox = slot.client.mailbox;
    if (!mailbox) throw new AppError("FOLDER_NOT_FOUND");
    const uidValidity = mailbox.uidValidity.toString();
    if (uidValidity !== expectedUidValidity) throw new AppError("FOLDER_CHANGED");
    let finished = false;
    const heldLock = lock;
    return {
      client: slot.client,
      mailbox,
      uidValidity,
      done: () => {
        if (finished) return;
        finished = true;
        heldLock.release();
        release(slot);
      },
    };
  } catch (error) {
    lock?.release();
    release(slot);
    if (error instanceof AppError) throw error;
    if (isConnectionError(error)) throw toAppError(error);
    throw new AppError("FOLDER_NOT_FOUND", undefined, { cause: error });
  }
}

/** Logs out every connection of a session: on sign-out, and when its credentials are forgotten. */
export async function closeAccountConnections(key: string): Promise<void> {
  const pool = state.pools.get(key);
  if (!pool) return;
  state.pools.delete(key);
  await Promise.all(pool.slots.map((slot) => slot.client.logout().catch(() => slot.client.close())));
}

/** For tests and the benchmark: how many live connections a session holds. */
export function connectionCount(key: string): number {
  return state.pools.get(key)?.slots.filter((s) => s.client.usable).length ?? 0;
}
