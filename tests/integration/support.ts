import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
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
  /** The stack's catch-all: Postfix delivers every address outside example.test here. */
  outside: { login: "outside@example.test", password: "outside-password" },
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

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. Never a fixed sleep. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
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

/**
 * The folder names exactly as the server sends them in LIST, before imapflow decodes modified
 * UTF-7 (RFC 3501 §5.1.3): what every other IMAP client sees on the wire.
 */
type RawExec = (
  command: string,
  attributes: { type: string; value: string }[],
  options: { untagged: Record<string, (untagged: { attributes?: { value?: unknown }[] }) => Promise<void>> },
) => Promise<{ next: () => void }>;

export async function wireFolderNames(client: ImapFlow): Promise<string[]> {
  const names: string[] = [];
  // exec() is imapflow's raw command interface; it is missing from the published type declarations.
  const exec = (client as unknown as { exec: RawExec }).exec.bind(client);
  const response = await exec("LIST", [{ type: "STRING", value: "" }, { type: "STRING", value: "*" }], {
    untagged: {
      LIST: async (untagged) => {
        const name = untagged.attributes?.[2]?.value;
        if (typeof name === "string") names.push(name);
      },
    },
  });
  response.next();
  return names;
}

/** Whether Postfix has nothing left to deliver (its queue, read with postqueue -j, is empty). */
export function postfixQueueEmpty(): boolean {
  const state = process.env.MAIL_STATE_DIR;
  if (!state) throw new Error("MAIL_STATE_DIR is not set (run through npm test)");
  return execFileSync("postqueue", ["-c", path.join(state, "postfix"), "-j"], { encoding: "utf8" }).trim() === "";
}

/** Every file under the upload directory the app uses (MAIL_UPLOAD_DIR, else the OS default). */
export function filesInUploadDir(): string[] {
  const root = process.env.MAIL_UPLOAD_DIR || path.join(os.tmpdir(), "letterbox-uploads");
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * The server's own count of a user's IMAP sessions (`doveadm who`): what its per-user limit counts,
 * including connections a client has logged out of but the server has not yet closed.
 */
export function serverSessionsOf(login: string): number {
  const doveadm = process.env.MAIL_DOVEADM;
  if (!doveadm) throw new Error("MAIL_DOVEADM is not set (run through npm test)");
  const [bin, ...args] = doveadm.split(" ");
  const out = execFileSync(bin!, [...args, "who", "-1", login], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.startsWith(`${login} `) && /\bimap\b/.test(line)).length;
}

/** Runs a fault-test command of the project's mail stack (scripts/mail-stack/mail-stack.sh). */
export function mailStack(...args: ("imap-stop" | "imap-start" | "smtp-stop" | "smtp-start" | "imap-kill" | string)[]): string {
  return execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
