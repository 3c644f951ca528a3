import "server-only";
import { getStore } from "@/lib/store";

/** Every account is fetched this often (issue 12: every 5 minutes by default). */
export const FETCH_INTERVAL_MS = 5 * 60_000;

// One collection for all users' accounts, ordered by when each is due: the scheduler job scans it.
const DUE = "pop3-due";
const dueId = (userLogin: string, id: string) => `${id}:${userLogin.toLowerCase()}`;

export interface DueAccount {
  login: string;
  id: string;
}

export async function scheduleFetch(userLogin: string, id: string, at: number): Promise<void> {
  await (await getStore()).records.put<DueAccount>(DUE, dueId(userLogin, id), { login: userLogin, id }, { sortKey: at });
}

export async function unscheduleFetch(userLogin: string, id: string): Promise<void> {
  await (await getStore()).records.delete(DUE, dueId(userLogin, id));
}

export async function dueAccounts(now: number, limit = 100): Promise<DueAccount[]> {
  const records = await (await getStore()).records.scan<DueAccount>(DUE, { maxSortKey: now, limit });
  return records.map((r) => r.value);
}
