// The tests' own IMAP connection: after each step in the browser, what the server really holds is
// read over a separate connection, not through the app.
import { execFileSync } from "node:child_process";
import { ImapFlow } from "imapflow";

export const CAROL = { email: "carol@example.test", password: "carol-password" };

export async function rawClient(user = CAROL): Promise<ImapFlow> {
  const url = new URL(process.env.MAIL_IMAP_URL ?? "imap://127.0.0.1:24143");
  const client = new ImapFlow({
    host: url.hostname,
    port: Number(url.port),
    secure: false,
    auth: { user: user.email, pass: user.password },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

export interface RawMessage {
  uid: number;
  subject: string;
  flags: Set<string>;
}

/**
 * STATUS of a folder, or null only when the server says it does not exist (RFC 5530 [NONEXISTENT]).
 * Any other failure throws: a check that something "is gone" must not pass on a failed command.
 */
async function statusOf(client: ImapFlow, folder: string): Promise<{ messages?: number } | null> {
  let status: Awaited<ReturnType<ImapFlow["status"]>> | false;
  try {
    status = await client.status(folder, { messages: true });
  } catch (error) {
    // imapflow confirms a NO with LIST before it calls a folder missing (code NotFound).
    const e = error as { code?: string; serverResponseCode?: string };
    if (e.code === "NotFound" || e.serverResponseCode === "NONEXISTENT") return null;
    throw error;
  }
  // imapflow answers false, not an error, when STATUS failed for any other reason.
  if (!status) throw new Error(`STATUS ${folder} failed`);
  return status;
}

/** Every message of a folder with its flags (empty when the folder is empty or does not exist). */
export async function messagesIn(client: ImapFlow, folder: string): Promise<RawMessage[]> {
  const status = await statusOf(client, folder);
  if (!status || !status.messages) return [];
  const lock = await client.getMailboxLock(folder);
  try {
    // This connection may have had the folder selected already: catch up with what the app did.
    await client.noop();
    const out: RawMessage[] = [];
    for await (const m of client.fetch("1:*", { uid: true, envelope: true, flags: true })) {
      out.push({ uid: m.uid, subject: m.envelope?.subject ?? "", flags: m.flags ?? new Set() });
    }
    return out;
  } finally {
    lock.release();
  }
}

/** How many messages a folder holds; -1 when the server says it does not exist. */
export async function countIn(client: ImapFlow, folder: string): Promise<number> {
  const status = await statusOf(client, folder);
  return status && status.messages !== undefined ? status.messages : -1;
}

// The same wire-level LIST the integration tests use.
export { wireFolderNames } from "../tests/integration/support";

export async function appendMessages(client: ImapFlow, folder: string, subjects: string[], flags: string[] = []): Promise<void> {
  for (const subject of subjects) {
    const raw = `From: Dana <dana@example.test>\r\nTo: carol@example.test\r\nSubject: ${subject}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@example.test>\r\n\r\n${subject}\r\n`;
    await client.append(folder, raw, flags);
  }
}

/** Writes COUNT generated messages straight into a folder's Maildir (scripts/mail-stack fill). */
export function fillFolder(user: string, folder: string, count: number): void {
  execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", "fill", user, folder, String(count)], { stdio: "pipe" });
}
