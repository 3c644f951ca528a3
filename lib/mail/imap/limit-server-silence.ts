import "server-only";
import type { ImapFlow } from "imapflow";

type Exec = (command: string, ...rest: unknown[]) => Promise<unknown>;
interface Internals {
  exec?: Exec;
  socket?: { bytesRead?: number; writableLength?: number } | null;
}

/**
 * How long each command may wait without a byte: `default` for most, `search` for the commands
 * whose whole answer the server may work on before sending a byte (below).
 */
export interface SilenceLimits {
  default: number;
  search: number;
}

/**
 * The commands a server may think about for minutes before the first byte of their answer: SEARCH,
 * SORT and THREAD (RFC 3501 §6.4.4, RFC 5256; ESEARCH and ESORT, RFC 4731 / RFC 5267, are the same
 * commands with RETURN). Dovecot sends "* OK Searched N% of the mailbox" every 10 s only while it
 * reads messages one by one; a lookup in its full-text index, or sorting tens of thousands of
 * matches afterwards, is one long step with nothing sent (measured: 63 s for a word in 98,914 of
 * 100,000 messages, fts-xapian 1.5.5, Dovecot 2.3.19).
 */
const SEARCH_COMMAND = /^(?:UID )?(?:SEARCH|SORT|THREAD)$/i;

export const isSearchCommand = (command: string): boolean => SEARCH_COMMAND.test(command.trim());

/** The silence a command may keep: `limits.search` for SEARCH, SORT and THREAD, else `limits.default`. */
export function silenceLimitOf(command: string, limits: SilenceLimits): number {
  return isSearchCommand(command) ? Math.max(limits.search, limits.default) : limits.default;
}

export interface SilenceGuard {
  /** The command that was waiting when the server went silent for too long, once that happened. */
  readonly silentDuring: string | null;
}

/**
 * Bounds how long a command on `client` may wait without a single byte from the server: while at
 * least one command is in flight, a server that sends nothing for its limit (silenceLimitOf: the
 * longest of the commands in flight) is taken for gone and
 * `onSilence` is called (the pool then closes the connection, whose state is unknown). What is
 * bounded is the wait for data, never the whole command: a 40 MB download or a SORT that sends its
 * answer slowly keeps going as long as bytes arrive, Dovecot reports progress on a long SEARCH or
 * SORT every 10 s ("* OK Searched 40% of the mailbox"), which counts as data, and a large APPEND
 * counts as alive while the server keeps taking its bytes (our send buffer shrinks). Between
 * commands nothing is timed, so a download whose reader is slow (imapflow then waits to send the
 * next FETCH) or an idle pooled connection is never cut by this.
 *
 * imapflow has no per-command timeout (its socketTimeout also fires on an idle connection), so this
 * wraps its `exec()`, which every command goes through (raw-command.ts uses the same door), and
 * reads the socket's byte count at each check instead of listening to every chunk: a check costs
 * nothing per byte. Checks run every quarter of the limit, so silence is noticed between the limit
 * and 1.25 × the limit after the last byte. A plain number is one limit for every command.
 */
export function limitServerSilence(
  client: ImapFlow,
  limits: number | SilenceLimits,
  onSilence: (command: string) => void,
): SilenceGuard {
  const perCommand: SilenceLimits = typeof limits === "number" ? { default: limits, search: limits } : limits;
  const target = client as unknown as Internals;
  const guard = { silentDuring: null as string | null };
  const exec = target.exec;
  // A client without exec (a unit test's stand-in) is left alone.
  if (typeof exec !== "function") return guard;
  // The commands in flight (imapflow may queue several), each with its limit: the longest applies,
  // and the command named on silence is the one that allowed the longest wait.
  const inFlight = new Map<number, { command: string; limitMs: number }>();
  let nextId = 0;
  const longest = () => {
    let found = { command: "", limitMs: 0 };
    for (const entry of inFlight.values()) if (entry.limitMs >= found.limitMs) found = entry;
    return found;
  };
  let timer: NodeJS.Timeout | null = null;
  let lastSocket: unknown = null;
  let lastBytes = -1;
  let lastPending = -1;
  let lastProgress = 0;

  const sample = (now: number) => {
    const socket = target.socket ?? null;
    const bytes = socket?.bytesRead ?? 0;
    // Our own bytes still leaving: an APPEND of a large message on a slow uplink gets no reply until
    // the server has it all, but while the server keeps taking bytes it is there.
    const pending = socket?.writableLength ?? 0;
    // A new socket (STARTTLS, COMPRESS) starts its own count: that is progress too.
    if (socket !== lastSocket || bytes !== lastBytes || pending !== lastPending) {
      lastSocket = socket;
      lastBytes = bytes;
      lastPending = pending;
      lastProgress = now;
    }
  };
  const arm = (delay: number) => {
    timer = setTimeout(check, Math.max(10, delay));
    // A pending check must not keep a process alive that has nothing else to do.
    timer.unref();
  };
  const check = () => {
    timer = null;
    if (inFlight.size === 0 || guard.silentDuring) return;
    const now = Date.now();
    sample(now);
    const silent = now - lastProgress;
    const { command, limitMs } = longest();
    if (silent >= limitMs) {
      guard.silentDuring = command;
      onSilence(command);
      return;
    }
    arm(Math.min(limitMs / 4, limitMs - silent));
  };

  target.exec = function (this: unknown, command: string, ...rest: unknown[]) {
    const limitMs = silenceLimitOf(command, perCommand);
    if (inFlight.size === 0) {
      // The clock starts when a command is sent after a quiet spell, not at the last byte of the one before.
      lastSocket = null;
      sample(Date.now());
      arm(limitMs / 4);
    }
    const id = nextId++;
    inFlight.set(id, { command, limitMs });
    const result = exec.call(client, command, ...rest);
    const settle = () => {
      inFlight.delete(id);
      if (inFlight.size === 0 && timer) {
        clearTimeout(timer);
        timer = null;
      }
    };
    // The caller handles the outcome; this only counts it.
    result.then(settle, settle);
    return result;
  };
  return guard;
}
