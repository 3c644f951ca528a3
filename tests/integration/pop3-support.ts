import { ImapFlow } from "imapflow";
import { getStore, type KvStore, type LeaseStore } from "@/lib/store";
import { rawClient, requireStackEnv } from "./support";

// The POP3 side of the stack `npm test` starts: same users as IMAP, POP3 serves each user's INBOX.
export function pop3Ports(): { host: string; pop3: number; pop3s: number } {
  const { host } = requireStackEnv();
  const pop3 = Number(process.env.MAIL_POP3_PORT);
  const pop3s = Number(process.env.MAIL_POP3S_PORT);
  if (!pop3 || !pop3s) throw new Error("MAIL_POP3_PORT / MAIL_POP3S_PORT are not set: run through `npm test`.");
  return { host, pop3, pop3s };
}

// dave's INBOX is the POP3 source in these tests (the demo seeds it too; tests empty it first).
export const dave = { login: "dave@example.test", password: "dave-password" };

/** Empties a user's INBOX over IMAP, so a test starts from a known POP3 mailbox. */
export async function emptyInbox(user: { login: string; password: string }): Promise<void> {
  const client = await rawClient(user);
  try {
    const lock = await client.getMailboxLock("INBOX");
    try {
      if (client.mailbox && client.mailbox.exists > 0) await client.messageDelete("1:*");
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/** A message with CRLF line ends, as a server stores and serves it, and a unique Message-ID. */
export function testMessage(subject: string, options: { body?: string; date?: string; id?: string } = {}): Buffer {
  const id = options.id ?? `${subject.replace(/[^a-z0-9]+/gi, "-")}-${Math.random().toString(36).slice(2)}@pop3.test`;
  const lines = [
    "From: Old Provider <news@old-provider.example>",
    "To: dave@example.test",
    `Subject: ${subject}`,
    `Date: ${options.date ?? "Tue, 01 Dec 2026 10:00:00 +0000"}`,
    `Message-ID: <${id}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    options.body ?? `Body of ${subject}.\r\n.A line that starts with a dot.\r\n.\r\nThe line above is a lone dot.`,
    "",
  ];
  return Buffer.from(lines.join("\r\n"));
}

/** Appends messages to a user's INBOX over one IMAP connection (the fast way to fill a POP3 box). */
export async function appendToInbox(user: { login: string; password: string }, messages: Iterable<Buffer>): Promise<void> {
  const client: ImapFlow = await rawClient(user);
  try {
    for (const raw of messages) await client.append("INBOX", raw);
  } finally {
    await client.logout();
  }
}

/** Every message of a folder as the IMAP server serves it (BODY[]), with its flags and date. */
export async function readFolder(
  user: { login: string; password: string },
  folder: string,
): Promise<{ uid: number; raw: Buffer; seen: boolean; internalDate: Date }[]> {
  const client = await rawClient(user);
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      const out: { uid: number; raw: Buffer; seen: boolean; internalDate: Date }[] = [];
      if (!client.mailbox || client.mailbox.exists === 0) return out;
      for await (const m of client.fetch("1:*", { uid: true, source: true, flags: true, internalDate: true })) {
        out.push({ uid: m.uid, raw: m.source!, seen: m.flags?.has("\\Seen") ?? false, internalDate: new Date(m.internalDate!) });
      }
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

export async function deleteFolder(user: { login: string; password: string }, folder: string): Promise<void> {
  const client = await rawClient(user);
  try {
    await client.mailboxDelete(folder).catch(() => undefined);
  } finally {
    await client.logout();
  }
}

/** The fetcher's state: the real store (lib/store), as the app and the worker use it. */
export async function fetchState(): Promise<{ kv: KvStore; leases: LeaseStore }> {
  const store = await getStore();
  return { kv: store.kv, leases: store.leases };
}
