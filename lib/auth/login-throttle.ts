import "server-only";
import { getStore } from "@/lib/store";

/**
 * Counts failed sign-ins per login and per client address, so that a password cannot be guessed
 * through Letterbox faster than the mail server itself would allow — and so the user is told to
 * wait rather than that the password is wrong. The counts live in the store, so every instance
 * behind a load balancer shares them and a restart does not reset them.
 */
const WINDOW_MS = 5 * 60_000;

function maxFailures(): number {
  const configured = Number(process.env.LOGIN_MAX_FAILURES);
  return Number.isInteger(configured) && configured > 0 ? configured : 10;
}

function keys(login: string, clientAddress: string): string[] {
  return [`signin-failures:login:${login.toLowerCase()}`, `signin-failures:ip:${clientAddress}`];
}

export async function isThrottled(login: string, clientAddress: string): Promise<boolean> {
  const store = await getStore();
  const counts = await Promise.all(keys(login, clientAddress).map((key) => store.counters.get(key)));
  return counts.some((count) => count >= maxFailures());
}

export async function recordFailure(login: string, clientAddress: string): Promise<void> {
  const store = await getStore();
  await Promise.all(keys(login, clientAddress).map((key) => store.counters.increment(key, { windowMs: WINDOW_MS })));
}

export async function recordSuccess(login: string): Promise<void> {
  const store = await getStore();
  await store.counters.reset(`signin-failures:login:${login.toLowerCase()}`);
}
