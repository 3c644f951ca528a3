import "server-only";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { publishEvent } from "@/lib/events";
import { serverConfig } from "@/lib/env";
import type { MailAccount } from "@/lib/mail/imap/account";
import { watchFolder, type FolderWatch } from "@/lib/mail/imap/watch-folder";
import type { FolderCounts, MailEvent } from "@/lib/mail/types";
import { getStore } from "@/lib/store";

/**
 * Live updates, server side: while a user has a tab open (an /api/events stream on any instance),
 * one IMAP connection watches their Inbox with IDLE and reads every folder's counts once a minute
 * (lib/mail/imap/watch-folder.ts); what it sees goes out through lib/events, so the stream of
 * whichever instance the browser is connected to receives it.
 *
 * One watcher per login across instances: a lease in the store (`live-watch:<login>`), taken by an
 * instance that has a stream of that login and renewed while it watches. Another instance with
 * streams of the same login keeps trying to take the lease, so it takes over within seconds when
 * the holder dies or its last tab closes. The watcher uses the password of a session that has a
 * stream open (never the background credentials: nothing is watched with no tab open).
 *
 * The one piece of process state here is the registry below: an IDLE connection is a socket of this
 * process (like the pool's), with the streams attached to it. Everything shared is in the store.
 */

const INBOX = "INBOX";
const LEASE_TTL_MS = 30_000;
const LEASE_EVERY_MS = 10_000;
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000, 10_000, 30_000];

interface Watcher {
  login: string;
  holder: string;
  /** Streams attached on this instance, each with its session's account (the newest is used). */
  streams: Map<symbol, MailAccount>;
  /** Sessions that signed out while their stream was still open: never used to reconnect. */
  signedOut: Set<string>;
  holding: boolean;
  watch: FolderWatch | null;
  starting: boolean;
  /** Failed or lost connections in a row: the backoff step. */
  failures: number;
  /** Where the last watch stopped: the next one reports what arrived in between. */
  since: { uidValidity: string; uidNext: number } | null;
  counts: Map<string, string> | null;
  leaseTimer: NodeJS.Timeout | null;
  retryTimer: NodeJS.Timeout | null;
  graceTimer: NodeJS.Timeout | null;
  stopped: boolean;
}

// Process resources, not server state: each entry holds this process's open IDLE connection and
// its timers, which cannot live in the store or move to another instance. Which instance watches a
// login is decided in the store (the `live-watch:<login>` lease); what a watcher remembers (`since`,
// `counts`) is only a cache of the server's answers — lost on a restart, the next watch reports a
// `resync` and the browser reads the counts and lists again. On globalThis so a dev-server module
// reload does not orphan the connections.
const globalKey = Symbol.for("letterbox.liveWatchers");
const watchers: Map<string, Watcher> = ((globalThis as Record<symbol, unknown>)[globalKey] as Map<string, Watcher> | undefined) ?? new Map();
(globalThis as Record<symbol, unknown>)[globalKey] = watchers;

const leaseName = (login: string) => `live-watch:${login.toLowerCase()}`;

function publish(watcher: Watcher, event: MailEvent): void {
  // At most once (lib/events): a lost event is caught up by the next resync or refetch.
  void publishEvent(watcher.login, event).catch(() => undefined);
}

function newestAccount(watcher: Watcher): MailAccount | null {
  return [...watcher.streams.values()].filter((a) => !watcher.signedOut.has(a.key)).at(-1) ?? null;
}

/** Only folders whose counts changed since the last reading, so an idle mailbox sends nothing. */
function changedCounts(watcher: Watcher, folders: FolderCounts[]): FolderCounts[] {
  const next = new Map(folders.map((f) => [f.path, `${f.total}/${f.unread}`]));
  const previous = watcher.counts;
  watcher.counts = next;
  if (!previous) return [];
  return folders.filter((f) => previous.get(f.path) !== next.get(f.path));
}

async function startWatch(watcher: Watcher): Promise<void> {
  const account = newestAccount(watcher);
  if (watcher.stopped || !watcher.holding || watcher.watch || watcher.starting || !account) return;
  watcher.starting = true;
  try {
    const watch = await watchFolder(
      account,
      INBOX,
      {
        onNewMessages: (folder, uidValidity, messages) => publish(watcher, { type: "new-mail", folder, uidValidity, messages }),
        onFlags: (folder, uidValidity, uid, flags) => publish(watcher, { type: "flags-changed", folder, uidValidity, uid, flags }),
        onExpunge: (folder, uidValidity, uids) => publish(watcher, { type: "expunged", folder, uidValidity, uids }),
        onChanged: (folder) => publish(watcher, { type: "folder-changed", folder }),
        onCounts: (folders) => {
          const changed = changedCounts(watcher, folders);
          if (changed.length > 0) publish(watcher, { type: "counts", folders: changed });
        },
        onLost: () => lost(watcher, watch),
        onSignedOut: (key) => watcher.signedOut.add(key),
      },
      { countsEveryMs: serverConfig().live.countsEveryMs, since: watcher.since },
    );
    if (watcher.stopped || !watcher.holding) {
      await watch.close();
      return;
    }
    watcher.watch = watch;
    watcher.failures = 0;
    // Whatever changed while nobody watched (before this watch, or while the server was away),
    // the browsers catch up now: counts and the visible pages are read again.
    publish(watcher, { type: "resync" });
  } catch (error) {
    const e = error as { code?: string };
    console.warn(`[letterbox] live updates: could not watch ${INBOX} (${e?.code ?? "unknown"}); retrying`);
    scheduleRetry(watcher);
  } finally {
    watcher.starting = false;
  }
}

function lost(watcher: Watcher, watch: FolderWatch): void {
  if (watcher.watch !== watch) return;
  watcher.watch = null;
  watcher.since = { uidValidity: watch.uidValidity, uidNext: watch.uidNext() };
  console.warn("[letterbox] live updates: the IMAP watch connection was lost; reconnecting");
  scheduleRetry(watcher);
}

/** Reconnects with growing delays (±20 % jitter) while the server is away. */
function scheduleRetry(watcher: Watcher): void {
  if (watcher.stopped || watcher.retryTimer) return;
  const base = RECONNECT_DELAYS_MS[Math.min(watcher.failures, RECONNECT_DELAYS_MS.length - 1)] ?? 30_000;
  watcher.failures += 1;
  watcher.retryTimer = setTimeout(() => {
    watcher.retryTimer = null;
    void startWatch(watcher);
  }, Math.round(base * (0.8 + Math.random() * 0.4)));
  watcher.retryTimer.unref();
}

/** Takes or renews the lease; starts or stops watching accordingly. */
async function tendLease(watcher: Watcher): Promise<void> {
  if (watcher.stopped) return;
  try {
    const leases = (await getStore()).leases;
    const held = watcher.holding
      ? await leases.renew(leaseName(watcher.login), watcher.holder, LEASE_TTL_MS)
      : await leases.acquire(leaseName(watcher.login), watcher.holder, LEASE_TTL_MS);
    if (watcher.stopped) return;
    if (held && !watcher.holding) {
      watcher.holding = true;
      await startWatch(watcher);
    } else if (!held && watcher.holding) {
      // Lost to another instance (this one was too slow to renew): it watches now, not us.
      watcher.holding = false;
      const watch = watcher.watch;
      watcher.watch = null;
      await watch?.close();
    }
  } catch {
    // The store is away: keep what we have and try again at the next turn.
  }
}

async function stop(watcher: Watcher): Promise<void> {
  watcher.stopped = true;
  for (const timer of [watcher.leaseTimer, watcher.retryTimer, watcher.graceTimer]) if (timer) clearTimeout(timer);
  if (watchers.get(watcher.login) === watcher) watchers.delete(watcher.login);
  const watch = watcher.watch;
  watcher.watch = null;
  await watch?.close();
  if (watcher.holding) {
    watcher.holding = false;
    await getStore()
      .then((store) => store.leases.release(leaseName(watcher.login), watcher.holder))
      .catch(() => undefined);
  }
}

/**
 * A stream of `account`'s login is open on this instance: make sure someone watches the mailbox.
 * Returns the function to call when the stream ends; after the last one, the watch stays for a
 * grace period (a reload, a tab switching networks) and then its connection is logged out.
 */
export function attachLiveWatch(account: MailAccount): () => void {
  const login = account.login.toLowerCase();
  let watcher = watchers.get(login);
  if (!watcher) {
    watcher = {
      login,
      holder: `${hostname()}:${process.pid}:${randomUUID()}`,
      streams: new Map(),
      signedOut: new Set(),
      holding: false,
      watch: null,
      starting: false,
      failures: 0,
      since: null,
      counts: null,
      leaseTimer: null,
      retryTimer: null,
      graceTimer: null,
      stopped: false,
    };
    watchers.set(login, watcher);
    const w = watcher;
    w.leaseTimer = setInterval(() => void tendLease(w), LEASE_EVERY_MS);
    w.leaseTimer.unref();
    void tendLease(w);
  }
  const self = watcher;
  if (self.graceTimer) {
    clearTimeout(self.graceTimer);
    self.graceTimer = null;
  }
  const id = Symbol("stream");
  self.streams.set(id, account);
  // A watch waiting for its next try (or for a session to watch with) starts at once for a new
  // tab, with its credentials.
  if (self.holding && !self.watch && !self.starting) {
    if (self.retryTimer) clearTimeout(self.retryTimer);
    self.retryTimer = null;
    void startWatch(self);
  }

  let detached = false;
  return () => {
    if (detached) return;
    detached = true;
    self.streams.delete(id);
    if (self.streams.size > 0 || self.stopped) return;
    self.graceTimer = setTimeout(() => void stop(self), serverConfig().live.graceMs);
    self.graceTimer.unref();
  };
}

/** For tests: whether this instance watches the login's mailbox right now. */
export function isWatching(login: string): boolean {
  return !!watchers.get(login.toLowerCase())?.watch;
}

/** For tests and shutdown: stops every watcher of this process now, releasing connections and leases. */
export async function stopAllLiveWatches(): Promise<void> {
  await Promise.all([...watchers.values()].map((w) => stop(w)));
}
