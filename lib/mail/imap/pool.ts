import "server-only";
import type { ImapFlow, MailboxObject } from "imapflow";
import { serverConfig } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import type { MailAccount } from "./account";
import { createImapClient } from "./connect";
import { isSearchCommand, limitServerSilence, silenceLimitOf } from "./limit-server-silence";
import { unselectMailbox } from "./raw-command";
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
  /** The server's last tagged reply (status and response code, never text or data), for the log. */
  lastReply: string;
  /**
   * Set when a command waited too long without a byte from the server (the connection was then
   * closed): which command, and the silence it was allowed.
   */
  timedOut: { command: string; limitMs: number } | null;
  /** The folder being selected ahead on this connection (keepSelected), if any. */
  selecting?: string;
}

interface AccountPool {
  login: string;
  slots: Slot[];
  /** Connections being opened, counted against the cap so a burst does not overshoot it. */
  opening: number;
}

/** A connection held open for IMAP IDLE (lib/mail/live): never serves requests, counted in the budget. */
interface WatchConnection {
  login: string;
  /** The session whose credentials opened it: its sign-out closes it. */
  key: string;
  client: ImapFlow;
  /** Told when the session signed out (closeAccountConnections), so the watch does not reconnect with it. */
  onSignedOut: () => void;
}

interface PoolState {
  pools: Map<string, AccountPool>;
  reaper: NodeJS.Timeout | null;
  watches: Set<WatchConnection>;
}

// Kept on globalThis so that a dev-server module reload does not orphan live connections.
// A process resource, not server state: an open IMAP connection is a socket of this process and
// cannot be kept in lib/store or shared with another instance. Lost on a restart, each instance
// opens connections again as needed; everything the user's state needs is in the store.
const globalKey = Symbol.for("letterbox.imapPool");
const state: PoolState = ((globalThis as Record<symbol, unknown>)[globalKey] as PoolState | undefined) ?? {
  pools: new Map(),
  reaper: null,
  watches: new Set(),
};
// A process that loaded an older pool (dev reload) has no watch set yet.
state.watches ??= new Set();
(globalThis as Record<symbol, unknown>)[globalKey] = state;

const RETRY_DELAYS_MS = [150, 600, 2000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function poolFor(account: MailAccount): AccountPool {
  let pool = state.pools.get(account.key);
  if (!pool) {
    pool = { login: account.login, slots: [], opening: 0 };
    state.pools.set(account.key, pool);
  }
  return pool;
}

/**
 * Servers cap connections per user (Dovecot: 10 per user and address), and every browser or tab
 * a user signs in from is a session with its own pool. Sessions of one login therefore share a
 * budget: a new connection first retires the longest-idle one of a sibling session.
 */
function loginBudget(): number {
  return serverConfig().imapMaxConnectionsPerAccount * 2;
}

function idleSlotsOfLogin(login: string): { pool: AccountPool; slot: Slot }[] {
  const idle: { pool: AccountPool; slot: Slot }[] = [];
  for (const pool of state.pools.values()) {
    if (pool.login !== login) continue;
    for (const slot of pool.slots) if (slot.busy === 0) idle.push({ pool, slot });
  }
  return idle.sort((a, b) => a.slot.lastUsed - b.slot.lastUsed);
}

function retire(pool: AccountPool, slot: Slot): void {
  removeSlot(pool, slot);
  void slot.client.logout().catch(() => slot.client.close());
}

function watchesOf(login: string): WatchConnection[] {
  return [...state.watches].filter((w) => w.login === login);
}

function makeRoomFor(login: string): void {
  let open = watchesOf(login).length;
  for (const pool of state.pools.values()) if (pool.login === login) open += pool.slots.length + pool.opening;
  const oldest = idleSlotsOfLogin(login)[0];
  if (open >= loginBudget() && oldest) retire(oldest.pool, oldest.slot);
}

/**
 * Logs out every idle pooled connection of a login, for when the server refuses a new one because
 * of its per-user limit: the user's own idle connections should not lock them out.
 */
export function closeIdleConnectionsOf(login: string): number {
  const idle = idleSlotsOfLogin(login);
  for (const { pool, slot } of idle) retire(pool, slot);
  return idle.length;
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

/**
 * The error for a server that went silent mid-command: not retried, since it would only wait again.
 * A SEARCH, SORT or THREAD that outlasts its own, longer bound is SEARCH_TIMEOUT, naming the bound:
 * the server was there, it only could not finish in time (search-messages.ts adds what to try).
 */
function serverTimeout(error: unknown, during: Slot["timedOut"] = null): AppError {
  if (during && isSearchCommand(during.command)) {
    return new AppError("SEARCH_TIMEOUT", searchTimeoutMessage(during.limitMs), { cause: error });
  }
  return new AppError("MAIL_SERVER_TIMEOUT", undefined, { cause: error });
}

/** "… within 5 minutes …": the bound as the user reads it. */
export function searchTimeoutMessage(limitMs: number): string {
  const seconds = Math.round(limitMs / 1000);
  const bound = seconds < 120 ? `${seconds} seconds` : `${Math.round(seconds / 60)} minutes`;
  return `The mail server did not finish within ${bound}, so Letterbox stopped waiting.`;
}

/**
 * A pooled connection before it has a pool: its client, made with the command silence bound, and
 * where a silence found later is to be reported (the slot, once it has one).
 */
interface Connected {
  client: ImapFlow;
  home: { pool: AccountPool; slot: Slot } | null;
}

/** Connects a client the way the pool keeps them (silence bound included), for `login`. */
async function connectBounded(login: string, password: string): Promise<Connected> {
  const connected = { home: null } as { client?: ImapFlow; home: Connected["home"] };
  let silentWhileConnecting = false;
  const limits = { default: serverConfig().imapCommandTimeoutMs, search: serverConfig().imapSearchTimeoutMs };
  const makeClient = () => {
    const fresh = createImapClient(login, password);
    limitServerSilence(fresh, limits, (command) => {
      const limitMs = silenceLimitOf(command, limits);
      console.warn(`[letterbox] IMAP server sent nothing for ${limitMs} ms during ${command}; closing the connection`);
      if (connected.home) {
        connected.home.slot.timedOut = { command, limitMs };
        removeSlot(connected.home.pool, connected.home.slot);
      } else {
        silentWhileConnecting = true;
      }
      fresh.close();
    });
    return fresh;
  };
  try {
    connected.client = await connectWithinServerLimit(login, makeClient);
  } catch (error) {
    throw silentWhileConnecting ? serverTimeout(error) : error;
  }
  return connected as Connected;
}

/** Makes a connected client a slot of `pool`, `busy` callers holding it. */
function adopt(pool: AccountPool, connected: Connected, busy: number): Slot {
  const { client } = connected;
  const slot: Slot = { client, busy, lastUsed: Date.now(), lastReply: "none", timedOut: null };
  connected.home = { pool, slot };
  client.on("response", (reply: { response?: string; code?: string }) => {
    slot.lastReply = `${reply.response ?? "?"}${reply.code ? ` [${reply.code}]` : ""}`;
  });
  client.on("error", (error: { code?: string }) => {
    // Never log the error object itself: imapflow may attach the command that failed.
    console.warn(`[letterbox] IMAP connection error (${error?.code ?? "unknown"}); it will be replaced`);
    removeSlot(pool, slot);
  });
  client.on("close", () => removeSlot(pool, slot));
  pool.slots.push(slot);
  ensureReaper();
  return slot;
}

async function openSlot(account: MailAccount, pool: AccountPool): Promise<Slot> {
  makeRoomFor(account.login);
  pool.opening += 1;
  let connected: Connected;
  try {
    connected = await connectBounded(account.login, account.password);
  } finally {
    pool.opening -= 1;
  }
  return adopt(pool, connected, 1);
}

/**
 * Signing in checks the password by logging in to the IMAP server: with a connection made as the
 * pool makes them, which the session then keeps (`keep`), so the first page after sign-in does not
 * open another (TCP, STARTTLS and LOGIN again: tens of milliseconds). `drop` closes it when the
 * sign-in goes no further. Throws as connecting does (WRONG_CREDENTIALS, LOGIN_THROTTLED, …).
 */
export async function connectForSignIn(login: string, password: string): Promise<{ keep: (account: MailAccount) => void; drop: () => void }> {
  const connected = await connectBounded(login, password);
  let settled = false;
  return {
    keep(account) {
      if (settled) return;
      settled = true;
      if (!connected.client.usable) return;
      const pool = poolFor(account);
      makeRoomFor(account.login);
      adopt(pool, connected, 0);
    },
    drop() {
      if (settled) return;
      settled = true;
      void connected.client.logout().catch(() => connected.client.close());
    },
  };
}

/**
 * Connects a fresh client (imapflow clients are single-use). When the server refuses the login for
 * a temporary reason such as its per-user connection limit (RFC 5530 UNAVAILABLE/LIMIT), the
 * login's idle pooled connections are logged out and the login tried once more.
 */
export async function connectWithinServerLimit(login: string, makeClient: () => ImapFlow): Promise<ImapFlow> {
  for (let attempt = 0; ; attempt++) {
    const client = makeClient();
    // Until the caller attaches its own, this keeps a late socket error from crashing the process.
    client.on("error", () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      client.close();
      const appError = toAppError(error);
      const overLimit = isAppError(appError) && appError.code === "LOGIN_THROTTLED";
      if (!overLimit || attempt > 0 || closeIdleConnectionsOf(login) === 0) throw appError;
      await sleep(200);
    }
  }
}

function isSelected(client: ImapFlow, path: string): boolean {
  return client.mailbox !== false && client.mailbox?.path === path;
}

async function acquire(account: MailAccount, affinity?: Affinity): Promise<Slot> {
  const pool = poolFor(account);
  const live = pool.slots.filter((s) => s.client.usable);
  for (const dead of pool.slots.filter((s) => !s.client.usable)) removeSlot(pool, dead);

  const idle = live.filter((s) => s.busy === 0);
  // Work in no folder (LIST, the folder tree's counts after every live event) prefers a connection
  // with none selected, leaving the one a folder is read on free for the next click there, and
  // for the list's catching up (lendSelected).
  const suits = (s: Slot) => (affinity ? isSelected(s.client, affinity.path) === affinity.selected : s.client.mailbox === false);
  // A connection selecting the folder ahead (keepSelected) is waited for: it is nearly done, and
  // another connection would start the same SELECT over.
  const selecting = affinity?.selected ? live.find((s) => s.selecting === affinity.path) : undefined;
  const best = idle.find(suits) ?? selecting ?? idle[0];
  const underCap = live.length + pool.opening < serverConfig().imapMaxConnectionsPerAccount;
  // The folder's STATUS would have to deselect it on the one idle connection that has it selected
  // (sync-folder.ts), and the next message opened there would pay for selecting it again — on a
  // folder of 100,000 messages Dovecot takes 50–100 ms over a SELECT, against tens of ms for a
  // connection of its own, opened once.
  if (best && !suits(best) && affinity?.selected === false && underCap) return openSlot(account, pool);
  if (best) {
    best.busy += 1;
    return best;
  }
  if (underCap) {
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

/**
 * What the server said last before a connection ended, for the operator: its BYE text if it sent
 * one (RFC 3501 §7.1.5), else its last tagged reply. A process that died (killed, out of memory)
 * says nothing, which is worth knowing too. Never the command's arguments or any mail data.
 */
function lastWords(slot: Slot | undefined): string {
  if (!slot) return "no connection yet";
  const bye = (slot.client as unknown as { byeReason?: string }).byeReason;
  const clean = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 200);
  return bye ? `BYE "${clean(bye)}"` : `no BYE; last tagged reply ${clean(slot.lastReply)}`;
}

function describeDrop(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; command?: unknown; meta?: { command?: unknown } };
  const code = typeof e.code === "string" ? e.code : "unknown";
  const command = typeof e.command === "string" ? e.command : typeof e.meta?.command === "string" ? e.meta.command : null;
  return command ? `${code} during ${command}` : code;
}

function logDrop(slot: Slot | undefined, error: unknown, retry: { attempt: number; of: number } | null): void {
  const next = retry ? `retrying (${retry.attempt} of ${retry.of})` : "giving up";
  console.warn(`[letterbox] IMAP connection lost (${describeDrop(error)}); the server's last words: ${lastWords(slot)}; ${next}`);
}

/**
 * A dropped connection, whatever imapflow happened to throw when it noticed: some paths reject with
 * NoConnection, others (a LIST or SELECT cut short) with a plain error, or resolve with nothing.
 * A connection that is no longer usable after the error is the fact that decides.
 */
function droppedConnection(error: unknown, client: ImapFlow | undefined): boolean {
  return isConnectionError(error) || (!!client && !client.usable);
}

function asConnectionError(error: unknown): unknown {
  if (isConnectionError(error)) return error;
  return Object.assign(new Error("IMAP connection lost", { cause: error }), { code: "NoConnection" });
}

/**
 * Selects `path` under imapflow's mailbox lock. A folder is missing only when the server says so:
 * a tagged NO with [NONEXISTENT] (RFC 5530), or, for a NO without that code, LIST no longer
 * showing it. A connection that dropped meanwhile is a connection error (retried by the caller);
 * anything else stays what it is (an unknown error, logged), never "that folder no longer exists".
 */
async function lockFolder(client: ImapFlow, path: string): Promise<{ release: () => void }> {
  try {
    return await client.getMailboxLock(path);
  } catch (error) {
    if (droppedConnection(error, client)) throw asConnectionError(error);
    const e = error as { serverResponseCode?: string; code?: string; responseStatus?: string };
    if (e.serverResponseCode === "NONEXISTENT" || e.code === "NotFound") {
      throw new AppError("FOLDER_NOT_FOUND", undefined, { cause: error });
    }
    if (e.responseStatus === "NO") {
      const listed = await client.list().then(
        (folders) => folders.some((f) => f.path === path),
        (listError: unknown) => {
          throw droppedConnection(listError, client) ? asConnectionError(listError) : listError;
        },
      );
      if (!listed) throw new AppError("FOLDER_NOT_FOUND", undefined, { cause: error });
    }
    throw error;
  }
}

/** The selected folder after the lock, or a connection error: imapflow drops it only with the connection. */
function selectedMailbox(client: ImapFlow): MailboxObject {
  const mailbox = client.mailbox;
  if (mailbox) return mailbox;
  throw client.usable ? new Error("no folder selected after SELECT") : asConnectionError(null);
}

/**
 * Which connection suits the work: one that has `path` selected (reading in that folder, where a
 * SELECT would be the largest part of the cost), or one that has not (asking its STATUS, which is
 * asked with the folder deselected). Only a preference: an idle connection of any kind is taken
 * over queueing for a suitable busy one.
 */
export interface Affinity {
  path: string;
  selected: boolean;
}

export interface RunOptions {
  /** The kind of connection the work runs best on (see Affinity). */
  affinity?: Affinity;
  /**
   * False for work the server must not do twice (APPEND, COPY, CREATE, RENAME): after a connection
   * drops mid-command the server may already have done it, so such work is retried only when the
   * drop came before it started. Reads, flag changes, moves and deletes are safe to repeat.
   */
  repeatable?: boolean;
  /**
   * The browser's request: when it goes away (a search replaced by the next one, the tab closed),
   * the work is abandoned and its connection closed (IMAP cannot cancel a command, RFC 3501 has no
   * such thing, but a closed connection ends it), so a search the server takes minutes over does not
   * hold one of the session's few connections for nothing. Only when no other caller is queued on
   * that connection, whose work would be cut too. Fails with REQUEST_CANCELLED, never retried.
   */
  signal?: AbortSignal;
}

/**
 * Runs `work` on a pooled connection. When the server drops the connection under us, the work is
 * retried on a fresh one with backoff, so the user sees at most a slower response (see
 * RunOptions.repeatable for work that must not run twice). A server that sends nothing for
 * MAIL_IMAP_COMMAND_TIMEOUT_MS while a command waits (limit-server-silence.ts) fails the work with
 * MAIL_SERVER_TIMEOUT, never retried: another try would only wait as long again, and the user is
 * better told at once. Errors come back as AppErrors where known.
 */
export async function withImapClient<T>(
  account: MailAccount,
  work: (client: ImapFlow) => Promise<T>,
  options: RunOptions = {},
): Promise<T> {
  let attempt = 0;
  const { signal } = options;
  for (;;) {
    let slot: Slot | undefined;
    let started = false;
    const abandon = () => {
      if (slot && slot.busy <= 1) {
        removeSlot(poolFor(account), slot);
        slot.client.close();
      }
    };
    try {
      slot = await acquire(account, options.affinity);
      if (signal?.aborted) throw new AppError("REQUEST_CANCELLED");
      signal?.addEventListener("abort", abandon, { once: true });
      started = true;
      return await work(slot.client);
    } catch (error) {
      if (signal?.aborted) throw isAppError(error) && error.code === "REQUEST_CANCELLED" ? error : new AppError("REQUEST_CANCELLED", undefined, { cause: error });
      if (slot?.timedOut) throw serverTimeout(error, slot.timedOut);
      const mayRepeat = options.repeatable !== false || !started;
      const dropped = droppedConnection(error, slot?.client);
      const retriable = dropped && attempt < RETRY_DELAYS_MS.length && mayRepeat;
      if (dropped) logDrop(slot, error, retriable ? { attempt: attempt + 1, of: RETRY_DELAYS_MS.length } : null);
      if (!retriable) throw toAppError(dropped ? asConnectionError(error) : error);
      if (slot) {
        removeSlot(poolFor(account), slot);
        slot.client.close();
      }
      await sleep(RETRY_DELAYS_MS[attempt] ?? 2000);
      attempt += 1;
    } finally {
      signal?.removeEventListener("abort", abandon);
      if (slot) release(slot);
    }
  }
}

/**
 * A folder that stayed selected on a pooled connection learns of new and expunged messages only
 * with its next command (RFC 3501 §7.3.1: EXISTS comes with a command's responses, and without IDLE
 * nothing else prompts it), so a UID that arrived meanwhile would not be found. NOOP brings the
 * connection's view up to date; a fresh SELECT already is.
 */
async function catchUp(client: ImapFlow, wasSelected: boolean): Promise<void> {
  if (wasSelected) await client.noop();
}

/**
 * Selects and locks `path` on a connection the caller already holds (withImapClient), for work
 * that asks the server something before deciding to select (lib/mail/imap/sync-folder.ts: STATUS
 * first). Same checks as withMailbox: NONEXISTENT is FOLDER_NOT_FOUND, a folder still selected gets
 * its NOOP. The caller releases.
 */
export async function lockMailbox(client: ImapFlow, path: string): Promise<{ mailbox: MailboxObject; release: () => void }> {
  const wasSelected = isSelected(client, path);
  const lock = await lockFolder(client, path);
  try {
    await catchUp(client, wasSelected);
    return { mailbox: selectedMailbox(client), release: () => lock.release() };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** From this size on a listed folder is selected ahead (keepSelected); below it SELECT takes Dovecot a few ms. */
export const SELECT_AHEAD_MIN_MESSAGES = 10_000;

/**
 * Selects `path` ahead on an idle connection of the session, unless one has it selected already:
 * the list of a large folder is on screen and its messages are what the user opens next, and a
 * list answered from the cache selects nothing (STATUS only), so the first message opened would
 * wait for the SELECT (on Dovecot with maildir, 50–100 ms at 100,000 messages). In the background,
 * after the list's answer; opens no connection for it, and a failure costs nothing but the guess.
 */
export function keepSelected(account: MailAccount, path: string, messages: number): void {
  if (messages < SELECT_AHEAD_MIN_MESSAGES) return;
  const pool = state.pools.get(account.key);
  if (!pool) return;
  const live = pool.slots.filter((s) => s.client.usable);
  if (live.some((s) => isSelected(s.client, path) || s.selecting === path)) return;
  const slot = live.find((s) => s.busy === 0);
  if (!slot) return;
  slot.busy += 1;
  slot.selecting = path;
  setImmediate(() => {
    void lockFolder(slot.client, path)
      .then((lock) => lock.release())
      .catch(() => undefined)
      .finally(() => {
        slot.selecting = undefined;
        release(slot);
      });
  });
}

/**
 * An idle connection of the session that has `path` selected, held for the caller until
 * `release` (sync-folder.ts: a list that found the folder changed brings that view up to date
 * instead of selecting the folder on its own connection). Null when there is none.
 */
export function lendSelected(account: MailAccount, path: string): { client: ImapFlow; release: () => void } | null {
  const slot = state.pools.get(account.key)?.slots.find((s) => s.client.usable && s.busy === 0 && isSelected(s.client, path));
  if (!slot) return null;
  slot.busy += 1;
  let returned = false;
  return {
    client: slot.client,
    release: () => {
      if (returned) return;
      returned = true;
      release(slot);
    },
  };
}

/**
 * Selects and locks `path`, brought up to date (catchUp). Dovecot keeps a connection's view of a
 * selected folder after the folder was deleted and created again elsewhere (NOOP does not end it,
 * see sync-folder.ts), and the list asks its STATUS on another connection (Affinity), which no
 * longer deselects it here as a side effect: so a UIDVALIDITY other than the caller's on a
 * connection that had the folder selected may be that old view, and the folder is selected anew
 * (UNSELECT, RFC 3691: no expunge) before the caller's UIDs are called stale.
 */
async function lockCurrent(
  client: ImapFlow,
  path: string,
  expectedUidValidity: string | undefined,
): Promise<{ lock: { release: () => void }; mailbox: MailboxObject }> {
  const wasSelected = isSelected(client, path);
  let lock = await lockFolder(client, path);
  try {
    await catchUp(client, wasSelected);
    let mailbox = selectedMailbox(client);
    if (expectedUidValidity && wasSelected && mailbox.uidValidity.toString() !== expectedUidValidity && (await unselectMailbox(client))) {
      lock.release();
      // Released: should selecting it anew fail, the catch below has nothing left to release.
      lock = { release: () => undefined };
      lock = await lockFolder(client, path);
      mailbox = selectedMailbox(client);
    }
    return { lock, mailbox };
  } catch (error) {
    lock.release();
    throw error;
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
  options: { expectedUidValidity?: string } & RunOptions = {},
): Promise<T> {
  return withImapClient(
    account,
    async (client) => {
      const { lock, mailbox } = await lockCurrent(client, path, options.expectedUidValidity);
      try {
        const uidValidity = mailbox.uidValidity.toString();
        if (options.expectedUidValidity && options.expectedUidValidity !== uidValidity) {
          throw new AppError("FOLDER_CHANGED");
        }
        return await work({ client, mailbox, uidValidity });
      } finally {
        lock.release();
      }
    },
    { repeatable: options.repeatable, signal: options.signal, affinity: { path, selected: true } },
  );
}

/** A folder held on a pooled connection until `done` is called. */
export type HeldMailbox = MailboxContext & { done: () => void };

async function holdOnce(slot: Slot, path: string, expectedUidValidity: string): Promise<HeldMailbox> {
  const { lock, mailbox } = await lockCurrent(slot.client, path, expectedUidValidity);
  try {
    const uidValidity = mailbox.uidValidity.toString();
    if (uidValidity !== expectedUidValidity) throw new AppError("FOLDER_CHANGED");
    let finished = false;
    return {
      client: slot.client,
      mailbox,
      uidValidity,
      done: () => {
        if (finished) return;
        finished = true;
        lock.release();
        release(slot);
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Like withMailbox, but the connection and lock stay held after `start` returns, until the caller
 * calls `done` — for a download stream that outlives the function that opened it. A connection
 * that drops before `start` returns (no byte has gone to the browser yet) is replaced and the
 * whole start retried; once the stream is out, a drop fails the stream, never ends it early.
 */
export async function withHeldMailbox<T>(
  account: MailAccount,
  path: string,
  expectedUidValidity: string,
  start: (held: HeldMailbox) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let slot: Slot | undefined;
    let held: HeldMailbox | undefined;
    try {
      slot = await acquire(account, { path, selected: true });
      held = await holdOnce(slot, path, expectedUidValidity);
      return await start(held);
    } catch (error) {
      if (held) held.done();
      else if (slot) release(slot);
      if (slot?.timedOut) throw serverTimeout(error, slot.timedOut);
      const dropped = droppedConnection(error, slot?.client);
      const retriable = dropped && attempt < RETRY_DELAYS_MS.length;
      if (dropped) logDrop(slot, error, retriable ? { attempt: attempt + 1, of: RETRY_DELAYS_MS.length } : null);
      if (!retriable) throw toAppError(dropped ? asConnectionError(error) : error);
      if (slot) {
        removeSlot(poolFor(account), slot);
        slot.client.close();
      }
      await sleep(RETRY_DELAYS_MS[attempt] ?? 2000);
    }
  }
}

/**
 * A connection of its own for watching a folder with IDLE (lib/mail/live): never one that serves
 * requests, since IDLE holds it (RFC 2177), but counted in the login's budget like a pooled one,
 * so a user with a live tab still stays under the server's per-user limit. It is forgotten when it
 * closes; the caller logs it out when it is done.
 */
export async function openWatchConnection(account: MailAccount, makeClient: () => ImapFlow, onSignedOut: () => void = () => undefined): Promise<ImapFlow> {
  makeRoomFor(account.login);
  const client = await connectWithinServerLimit(account.login, makeClient);
  const watch: WatchConnection = { login: account.login, key: account.key, client, onSignedOut };
  state.watches.add(watch);
  client.on("close", () => state.watches.delete(watch));
  return client;
}

/** For tests and the benchmark: how many IDLE connections a login holds in this process. */
export function watchConnectionCount(login: string): number {
  return watchesOf(login).filter((w) => w.client.usable).length;
}

/** For tests: the sessions whose passwords the login's IDLE connections were opened with. */
export function watchSessionKeys(login: string): string[] {
  return watchesOf(login).filter((w) => w.client.usable).map((w) => w.key);
}

/** For tests: every live connection of a login in this process, pooled and watching. */
export function loginConnectionCount(login: string): number {
  let open = watchConnectionCount(login);
  for (const pool of state.pools.values()) if (pool.login === login) open += pool.slots.filter((s) => s.client.usable).length;
  return open;
}

/** Logs out every connection of a session: on sign-out, and when its credentials are forgotten. */
export async function closeAccountConnections(key: string): Promise<void> {
  const watches = [...state.watches].filter((w) => w.key === key);
  for (const watch of watches) {
    state.watches.delete(watch);
    watch.onSignedOut();
  }
  const pool = state.pools.get(key);
  if (pool) state.pools.delete(key);
  await Promise.all([
    ...(pool?.slots ?? []).map((slot) => slot.client.logout().catch(() => slot.client.close())),
    ...watches.map((w) => w.client.logout().catch(() => w.client.close())),
  ]);
}

/** For tests and the benchmark: how many live connections a session holds. */
export function connectionCount(key: string): number {
  return state.pools.get(key)?.slots.filter((s) => s.client.usable).length ?? 0;
}

/** For tests: the folders a session's connections have selected. */
export function selectedFolders(key: string): string[] {
  return (state.pools.get(key)?.slots ?? []).flatMap((s) => (s.client.usable && s.client.mailbox ? [s.client.mailbox.path] : []));
}

/** For tests: how many of a session's connections are held or waited for right now. */
export function busyConnectionCount(key: string): number {
  return state.pools.get(key)?.slots.filter((s) => s.busy > 0).length ?? 0;
}
