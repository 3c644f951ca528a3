import "server-only";
import { readBackgroundCredentials } from "@/lib/auth/background-credentials";
import { serverConfig } from "@/lib/env";
import type { MailAccount } from "@/lib/mail/imap/account";
import { getStore } from "@/lib/store";
import { fetchPop3Mailbox } from "./fetch-pop3-mailbox";
import { openPassword, readAccount, toView, writeAccount } from "./pop3-account-store";
import { FETCH_INTERVAL_MS, scheduleFetch } from "./pop3-schedule";
import type { Pop3AccountView } from "./schemas";

/**
 * Fetches one stored POP3 account now: "Check now" (with the session's IMAP account) or the
 * worker (with the user's background credentials). Records the outcome in the account's status
 * and schedules the next run.
 */
export async function runPop3Account(
  userLogin: string,
  id: string,
  options: { imap?: MailAccount; signal?: AbortSignal } = {},
): Promise<Pop3AccountView> {
  const account = await readAccount(userLogin, id);
  const password = openPassword(userLogin, account);
  let imap = options.imap ?? null;
  if (!imap) {
    const kept = await readBackgroundCredentials(userLogin);
    if (kept) imap = { key: `pop3-worker:${userLogin.toLowerCase()}`, login: kept.login, password: kept.password };
  }
  const started = Date.now();
  let status = account.status;
  if (!password || !imap) {
    status = {
      ...status,
      lastRunAt: new Date(started).toISOString(),
      lastFetched: 0,
      lastError: !password
        ? { code: "PASSWORD_UNREADABLE", message: "The stored POP3 password can no longer be read. Edit the account and enter it again." }
        : { code: "SIGN_IN_AGAIN", message: "Letterbox needs your mailbox password again: sign in, then choose Check now." },
    };
  } else {
    const store = await getStore();
    const report = await fetchPop3Mailbox({
      accountId: id,
      source: { host: account.host, port: account.port, security: account.security, login: account.login, password, tlsInsecure: serverConfig().tlsInsecure },
      mode: account.mode,
      destination: { account: imap, folder: account.folder },
      kv: store.kv,
      leases: store.leases,
      signal: options.signal,
    });
    // Another run holds the account (the worker's, or another tab's "Check now"): its outcome is
    // the answer, so wait for it to be recorded rather than report a stale status.
    if (report.problem?.code === "BUSY") return toView(await awaitOtherRun(userLogin, id, account.status.lastRunAt));
    status = {
      ...status,
      lastRunAt: new Date().toISOString(),
      lastFetched: report.fetched,
      totalFetched: status.totalFetched + report.fetched,
      tooLarge: report.tooLarge.map((m) => m.subject ?? `(no subject, ${Math.round(m.size / 1024)} KB)`),
      lastError: report.problem,
    };
  }
  const next = Date.now() + FETCH_INTERVAL_MS;
  // Read again: an edit while the fetch ran must not be overwritten, only the status is ours.
  const latest = await readAccount(userLogin, id).catch(() => null);
  if (!latest) return toView({ ...account, status });
  const updated = { ...latest, status: { ...status, nextRunAt: new Date(next).toISOString() } };
  await writeAccount(userLogin, updated);
  await scheduleFetch(userLogin, id, next);
  return toView(updated);
}

async function awaitOtherRun(userLogin: string, id: string, lastRunAt: string | null) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const current = await readAccount(userLogin, id);
    if (current.status.lastRunAt !== lastRunAt || Date.now() > deadline) return current;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
