import "server-only";

/**
 * Counts failed sign-ins per login and per client address, so that a password cannot be guessed
 * through Letterbox faster than the mail server itself would allow — and so the user is told to
 * wait rather than that the password is wrong.
 */
const WINDOW_MS = 5 * 60_000;

interface Failures {
  count: number;
  firstAt: number;
}

const globalKey = Symbol.for("letterbox.loginThrottle");
const failures: Map<string, Failures> =
  ((globalThis as Record<symbol, unknown>)[globalKey] as Map<string, Failures> | undefined) ?? new Map();
(globalThis as Record<symbol, unknown>)[globalKey] = failures;

function maxFailures(): number {
  const configured = Number(process.env.LOGIN_MAX_FAILURES);
  return Number.isInteger(configured) && configured > 0 ? configured : 10;
}

function keys(login: string, clientAddress: string): string[] {
  return [`login:${login.toLowerCase()}`, `ip:${clientAddress}`];
}

export function isThrottled(login: string, clientAddress: string, now = Date.now()): boolean {
  return keys(login, clientAddress).some((key) => {
    const entry = failures.get(key);
    if (!entry) return false;
    if (now - entry.firstAt > WINDOW_MS) {
      failures.delete(key);
      return false;
    }
    return entry.count >= maxFailures();
  });
}

export function recordFailure(login: string, clientAddress: string, now = Date.now()): void {
  for (const key of keys(login, clientAddress)) {
    const entry = failures.get(key);
    if (!entry || now - entry.firstAt > WINDOW_MS) failures.set(key, { count: 1, firstAt: now });
    else entry.count += 1;
  }
}

export function recordSuccess(login: string): void {
  failures.delete(`login:${login.toLowerCase()}`);
}
