import "server-only";
import { randomUUID } from "node:crypto";
import { holdBackgroundCredentials, releaseBackgroundCredentials } from "@/lib/auth/background-credentials";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";
import { ensureFolder } from "@/lib/mail/imap/ensure-folder";
import { cancel } from "@/lib/jobs";
import { checkPop3Security } from "./check-pop3-security";
import { deleteAccount, emptyStatus, readAccount, readAccounts, sealPassword, toView, writeAccount } from "./pop3-account-store";
import { scheduleFetch, unscheduleFetch } from "./pop3-schedule";
import type { Pop3AccountInput, Pop3AccountView } from "./schemas";

const reason = (id: string) => `pop3:${id}`;

export async function listPop3Accounts(userLogin: string): Promise<Pop3AccountView[]> {
  return (await readAccounts(userLogin)).map(toView);
}

/**
 * The destination folder, created now when it does not exist yet (the form offers a new one named
 * after the account): the user sees it in the mail view at once, and a bad name is refused while
 * the form is still open rather than at the first fetch, in the background.
 */
async function prepareFolder(session: MailAccount, input: Pop3AccountInput): Promise<Pop3AccountInput> {
  const { path } = await ensureFolder(session, input.folder);
  return { ...input, folder: path };
}

/**
 * Adds an account. The user's own IMAP password is kept for background work (encrypted, under
 * the reason "pop3:<id>") so the worker can file fetched mail while no browser is open.
 */
export async function addPop3Account(session: MailAccount, given: Pop3AccountInput): Promise<Pop3AccountView> {
  checkPop3Security(given);
  if (!given.password) throw new AppError("BAD_REQUEST", "Enter the POP3 password.");
  const input = await prepareFolder(session, given);
  const id = randomUUID();
  const { password, ...settings } = input;
  const account = { id, ...settings, sealedPassword: sealPassword(session.login, id, password), status: emptyStatus() };
  await writeAccount(session.login, account);
  await holdBackgroundCredentials(session.login, session.password, reason(id));
  await scheduleFetch(session.login, id, Date.now());
  return toView(account);
}

/** Changes an account; an empty password keeps the stored one. */
export async function updatePop3Account(session: MailAccount, id: string, given: Pop3AccountInput): Promise<Pop3AccountView> {
  checkPop3Security(given);
  const existing = await readAccount(session.login, id);
  const input = await prepareFolder(session, given);
  const { password, ...settings } = input;
  const account = {
    ...existing,
    ...settings,
    sealedPassword: password ? sealPassword(session.login, id, password) : existing.sealedPassword,
  };
  await writeAccount(session.login, account);
  await holdBackgroundCredentials(session.login, session.password, reason(id));
  return toView(account);
}

/**
 * Removes an account: its stored password goes, and so does the user's kept IMAP password when no
 * other background work needs it. Fetched mail is not touched.
 */
export async function removePop3Account(session: MailAccount, id: string): Promise<void> {
  await readAccount(session.login, id);
  await unscheduleFetch(session.login, id);
  await cancel(`pop3-fetch:${id}`);
  await deleteAccount(session.login, id);
  await releaseBackgroundCredentials(session.login, reason(id));
}
