import "server-only";
import type { ImapFlow } from "imapflow";

type Exec = (command: string, ...rest: unknown[]) => Promise<unknown>;
interface Internals {
  exec?: Exec;
  socket?: { bytesRead?: number; writableLength?: number } | null;
}

export interface SilenceGuard {
  /** The command that was waiting when the server went silent for too long, once that happened. */
  readonly silentDuring: string | null;
}

/**
 * Bounds how long a command on `client` may wait without a single byte from the server: while at
 * least one command is in flight, a server that sends nothing for `limitMs` is taken for gone and
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
 * nothing per byte. Checks run every quarter of the limit, so silence is noticed between `limitMs`
 * and 1.25 × `limitMs` after the last byte.
 */
export function limitServerSilence(client: ImapFlow, limitMs: number, onSilence: (command: string) => void): SilenceGuard {
  const target = client as unknown as Internals;
  const guard = { silentDuring: null as string | null };
  const exec = target.exec;
  // A client without exec (a unit test's stand-in) is left alone.
  if (typeof exec !== "function") return guard;
  let inFlight = 0;
  let current = "";
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
    if (inFlight === 0 || guard.silentDuring) return;
    const now = Date.now();
    sample(now);
    const silent = now - lastProgress;
    if (silent >= limitMs) {
      guard.silentDuring = current;
      onSilence(current);
      return;
    }
    arm(Math.min(limitMs / 4, limitMs - silent));
  };

  target.exec = function (this: unknown, command: string, ...rest: unknown[]) {
    if (inFlight === 0) {
      // The clock starts when a command is sent after a quiet spell, not at the last byte of the one before.
      lastSocket = null;
      sample(Date.now());
      arm(limitMs / 4);
    }
    inFlight += 1;
    current = command;
    const result = exec.call(client, command, ...rest);
    const settle = () => {
      inFlight -= 1;
      if (inFlight === 0 && timer) {
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
