import { randomUUID } from "node:crypto";
import { ImapFlow } from "imapflow";
import type { MailAccount } from "@/lib/mail/imap/account";

// Integration tests run against the stack `npm test` starts (scripts/mail-stack); its env is exported.
export function requireStackEnv(): { host: string; port: number } {
  const url = process.env.MAIL_IMAP_URL;
  if (!url || !process.env.AUTH_SECRET) {
    throw new Error("Run integration tests through `npm test` (it starts the mail stack and exports MAIL_IMAP_URL).");
  }
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

export const users = {
  alice: { login: "alice@example.test", password: "alice-password" },
  bob: { login: "bob@example.test", password: "bob-password" },
  carol: { login: "carol@example.test", password: "carol-password" },
};

export function accountFor(user: { login: string; password: string }): MailAccount {
  return { key: `test-${randomUUID()}`, ...user };
}

/**
 * A connection of the test's own, not the app's: what the server really holds is checked through it.
 */
export async function rawClient(user: { login: string; password: string }): Promise<ImapFlow> {
  const { host, port } = requireStackEnv();
  const client = new ImapFlow({
    host,
    port,
    secure: false,
    auth: { user: user.login, pass: user.password },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

export async function findUidBySubject(client: ImapFlow, folder: string, subject: string): Promise<number> {
  const lock = await client.getMailboxLock(folder);
  try {
    const uids = (await client.search({ subject }, { uid: true })) || [];
    const uid = uids[uids.length - 1];
    if (!uid) throw new Error(`no message with subject "${subject}" in ${folder}`);
    return uid;
  } finally {
    lock.release();
  }
}

export async function uidValidityOf(client: ImapFlow, folder: string): Promise<string> {
  const status = await client.status(folder, { uidValidity: true });
  if (!status || status.uidValidity === undefined) throw new Error(`no status for ${folder}`);
  return status.uidValidity.toString();
}
