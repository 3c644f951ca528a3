// The tests' own IMAP connection: after each step in the browser, what the server really holds is
// read over a separate connection, not through the app.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
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

/**
 * Writes COUNT generated messages straight into a folder's Maildir (scripts/mail-stack fill),
 * without filling the full-text index: the tests that fill never search the folder.
 */
export function fillFolder(user: string, folder: string, count: number): void {
  execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", "fill", "--no-full-text", user, folder, String(count)], { stdio: "pipe" });
}

/** Fault injection through the project's own mail stack script (imap-stop, imap-start, imap-kill PORT). */
export function mailStack(...args: string[]): void {
  execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", ...args], { stdio: "pipe" });
}

/** Local ports of the established connections process `pid` holds to the IMAP server, from /proc. */
export function imapConnectionPortsOf(pid: number): number[] {
  const imapPort = Number(new URL(process.env.MAIL_IMAP_URL ?? "imap://127.0.0.1:24143").port);
  const remoteHex = imapPort.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // The fd closed while we looked: not a connection any more.
    }
  }
  const ports: number[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl, local addr:port, remote addr:port, state (01 = ESTABLISHED), ..., inode (9)
      if (cols[2]?.endsWith(`:${remoteHex}`) && cols[3] === "01" && cols[9] && inodes.has(cols[9])) {
        ports.push(parseInt(cols[1]!.split(":")[1]!, 16));
      }
    }
  }
  return ports;
}
