import { createHash, randomBytes } from "node:crypto";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import type { Readable } from "node:stream";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";
import { downloadPart } from "@/lib/mail/imap/download-part";
import { getMessage } from "@/lib/mail/imap/get-message";
import { listFolders } from "@/lib/mail/imap/list-folders";
import { listMessages } from "@/lib/mail/imap/list-messages";
import { purgeListCache } from "@/lib/mail/cache/purge-list-cache";
import { closeAccountConnections } from "@/lib/mail/imap/pool";
import { accountFor, findUidBySubject, mailStack, rawClient, requireStackEnv, uidValidityOf, users, waitFor } from "./support";

// Faults of a real server and network, injected into the project's own stack: the imap process of
// one of the app's connections killed as the kernel's OOM killer would (mail-stack.sh imap-kill, by
// the connection's port), Dovecot stopped and started, folders changed under a selected connection
// by another client, and an SMTP server that accepts and never answers. carol's mailbox only.
requireStackEnv();
const run = randomBytes(3).toString("hex");
const BIG_FOLDER = `Faults big ${run}`;
const BIG_BYTES = 25 * 1024 * 1024;
let raw: ImapFlow;
const accounts: ReturnType<typeof accountFor>[] = [];
const freshAccount = () => {
  const account = accountFor(users.carol);
  accounts.push(account);
  return account;
};
/** Counted for docs/security.md: each server process killed, each server stop, each silent server. */
export const faultsInjected = { count: 0 };

type Patchable = Record<string, (...args: unknown[]) => unknown>;
const proto = ImapFlow.prototype as unknown as Patchable;

/**
 * Kills the server process of the app's connection the moment the app calls `method` on it, so
 * the command goes out on a connection whose server is gone: a death in the middle of a command.
 */
function killOnNext(method: "mailboxOpen" | "download", when: (args: unknown[]) => boolean = () => true): () => void {
  const original = proto[method]!;
  let armed = true;
  proto[method] = function (this: ImapFlow, ...args: unknown[]) {
    if (armed && when(args)) {
      armed = false;
      killServerProcessOf(this);
    }
    return original.apply(this, args);
  };
  return () => {
    proto[method] = original;
  };
}

function killServerProcessOf(client: ImapFlow): void {
  const port = (client as unknown as { socket?: { localPort?: number } }).socket?.localPort;
  if (!port) throw new Error("the app's connection has no local port");
  mailStack("imap-kill", String(port));
  faultsInjected.count += 1;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function append(folder: string, subject: string): Promise<number> {
  const message = `From: Test <test@example.test>\r\nTo: carol@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${randomBytes(6).toString("hex")}@example.test>\r\n\r\nBody of ${subject}\r\n`;
  return raw.append(folder, message).then((r) => {
    if (!r || !r.uid) throw new Error("append without APPENDUID");
    return r.uid;
  });
}

beforeAll(async () => {
  raw = await rawClient(users.carol);
  await raw.mailboxCreate(BIG_FOLDER);
  mailStack("fill", "--big-attachment", users.carol.login, BIG_FOLDER);
});
afterAll(async () => {
  await raw.mailboxDelete(BIG_FOLDER).catch(() => undefined);
  await raw.logout();
  await Promise.all(accounts.map((a) => closeAccountConnections(a.key)));
  console.info(`[faults] faults injected: ${faultsInjected.count}`);
});

describe("an IMAP server process that dies in the middle of a command", () => {
  it("opening INBOX is retried on a new connection, never called a missing folder", async () => {
    const account = freshAccount();
    const warn = vi.spyOn(console, "warn");
    // A cold list cache, so the list has to open the folder (a warm one answers after STATUS alone).
    await purgeListCache(users.carol.login);
    const restore = killOnNext("mailboxOpen", ([path]) => path === "INBOX");
    try {
      const page = await listMessages(account, { folder: "INBOX", page: 0, pageSize: 10 });
      expect(page.folder).toBe("INBOX");
      expect(page.messages.length).toBeGreaterThan(0);
    } finally {
      restore();
    }
    // The operator learns what happened, with what the server said last (a killed process: nothing).
    const logged = warn.mock.calls.map((c) => String(c[0])).find((line) => line.includes("IMAP connection lost"));
    warn.mockRestore();
    expect(logged).toMatch(/the server's last words: no BYE; last tagged reply/);
    expect(logged).toMatch(/retrying \(1 of \d\)/);
  });

  it("a download that has sent nothing yet is retried, and arrives whole", async () => {
    const account = freshAccount();
    const uid = await findUidBySubject(raw, BIG_FOLDER, "Big attachment 25MB");
    const ref = { folder: BIG_FOLDER, uidValidity: await uidValidityOf(raw, BIG_FOLDER), uid };
    const message = await getMessage(account, ref, { allowRemote: false });
    const partId = message.attachments.find((a) => a.filename === "big.bin")!.partId;
    const restore = killOnNext("download");
    let bytes: Buffer;
    try {
      bytes = await readAll((await downloadPart(account, ref, partId)).stream);
    } finally {
      restore();
    }
    expect(bytes.length).toBe(BIG_BYTES);
    // Whole means the same bytes, not only as many: compare with the test's own connection.
    const lock = await raw.getMailboxLock(BIG_FOLDER);
    try {
      const direct = await raw.download(String(uid), partId, { uid: true });
      const hash = (b: Buffer) => createHash("sha256").update(b).digest("hex");
      expect(hash(bytes)).toBe(hash(await readAll(direct.content as Readable)));
    } finally {
      lock.release();
    }
  });

  it("a download cut in the middle fails, never ends as if complete; the next one succeeds", async () => {
    const account = freshAccount();
    const uid = await findUidBySubject(raw, BIG_FOLDER, "Big attachment 25MB");
    const ref = { folder: BIG_FOLDER, uidValidity: await uidValidityOf(raw, BIG_FOLDER), uid };
    const message = await getMessage(account, ref, { allowRemote: false });
    const partId = message.attachments.find((a) => a.filename === "big.bin")!.partId;

    const downloading: ImapFlow[] = [];
    const original = proto.download!;
    proto.download = function (this: ImapFlow, ...args: unknown[]) {
      downloading.push(this);
      return original.apply(this, args);
    };
    let received = 0;
    let outcome: "ended" | "failed";
    try {
      const part = await downloadPart(account, ref, partId);
      outcome = await new Promise<"ended" | "failed">((resolve) => {
        part.stream.on("data", (chunk: Buffer) => {
          received += chunk.length;
          const client = downloading.pop();
          if (client) killServerProcessOf(client);
        });
        part.stream.once("end", () => resolve("ended"));
        part.stream.once("error", () => resolve("failed"));
      });
    } finally {
      proto.download = original;
    }
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(BIG_BYTES);
    expect(outcome).toBe("failed");

    const again = await readAll((await downloadPart(account, ref, partId)).stream);
    expect(again.length).toBe(BIG_BYTES);
    // The same bytes as a download over the test's own connection.
    const lock = await raw.getMailboxLock(BIG_FOLDER);
    try {
      const direct = await raw.download(String(uid), partId, { uid: true });
      const hash = (b: Buffer) => createHash("sha256").update(b).digest("hex");
      expect(hash(again)).toBe(hash(await readAll(direct.content as Readable)));
    } finally {
      lock.release();
    }
  });
});

describe("Dovecot stopped and started while a user browses", () => {
  it("says the mail server is unreachable while it is down, and works again without signing in", async () => {
    const account = freshAccount();
    expect((await listFolders(account)).some((f) => f.path === "INBOX")).toBe(true);
    mailStack("imap-stop");
    faultsInjected.count += 1;
    try {
      const started = Date.now();
      const error = await listFolders(account).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("MAIL_SERVER_UNREACHABLE");
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      mailStack("imap-start");
    }
    // The same session (the same credentials in the store): no new sign-in.
    expect((await listFolders(account)).some((f) => f.path === "INBOX")).toBe(true);
    const page = await listMessages(account, { folder: "INBOX", page: 0, pageSize: 5 });
    expect(page.messages.length).toBeGreaterThan(0);
    // The test's own connection went with the server too.
    raw = await rawClient(users.carol);
  });
});

describe("folders changed by another client under a selected connection", () => {
  it("a changed UIDVALIDITY refuses the old UIDs, and the folder reads with the new one", async () => {
    const account = freshAccount();
    const folder = `Faults validity ${run}`;
    await raw.mailboxCreate(folder);
    const uid = await append(folder, `validity ${run}`);
    const before = await listMessages(account, { folder, page: 0, pageSize: 10 });
    const ref = { folder, uidValidity: before.uidValidity, uid };
    expect((await getMessage(account, ref, { allowRemote: false })).subject).toBe(`validity ${run}`);

    // Another client (here the server's own admin tool) gives the folder a new UIDVALIDITY while
    // the app's pooled connection still has it selected.
    const next = String(Number(before.uidValidity) + 1000);
    const doveadm = (process.env.MAIL_DOVEADM ?? "").split(" ");
    const { execFileSync } = await import("node:child_process");
    execFileSync(doveadm[0]!, [...doveadm.slice(1), "mailbox", "update", "-u", users.carol.login, "--uid-validity", next, folder]);
    faultsInjected.count += 1;

    await expect(getMessage(account, ref, { allowRemote: false })).rejects.toMatchObject({ code: "FOLDER_CHANGED" });
    const after = await listMessages(account, { folder, page: 0, pageSize: 10 });
    expect(after.uidValidity).toBe(next);
    expect(after.messages.map((m) => m.subject)).toContain(`validity ${run}`);
    await raw.mailboxDelete(folder);
  });

  it("the folder being viewed, deleted by another client, is missing; the session goes on", async () => {
    const account = freshAccount();
    const folder = `Faults deleted ${run}`;
    await raw.mailboxCreate(folder);
    await append(folder, `doomed ${run}`);
    const page = await listMessages(account, { folder, page: 0, pageSize: 10 });
    expect(page.total).toBe(1);
    await raw.mailboxDelete(folder);
    faultsInjected.count += 1;
    await expect(listMessages(account, { folder, page: 0, pageSize: 10 })).rejects.toMatchObject({ code: "FOLDER_NOT_FOUND" });
    const inbox = await listMessages(account, { folder: "INBOX", page: 0, pageSize: 5 });
    expect(inbox.folder).toBe("INBOX");
  });
});

describe("an SMTP server that accepts the connection and never answers", () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let silentPort = 0;
  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    // Any free port, so checkouts testing side by side never collide.
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it("ends with a timeout the user can act on, within a bounded time", async () => {
    // A configuration of its own for this one test: the app reads MAIL_SMTP_URL once per process.
    const saved = process.env.MAIL_SMTP_URL;
    process.env.MAIL_SMTP_URL = `smtp://127.0.0.1:${silentPort}`;
    vi.resetModules();
    try {
      const { submitMessage } = await import("@/lib/mail/smtp/submit-message");
      faultsInjected.count += 1;
      const started = Date.now();
      const message = Buffer.from("From: carol@example.test\r\nTo: bob@example.test\r\nSubject: never\r\n\r\nnever sent\r\n");
      await expect(
        submitMessage(accountFor(users.carol), [message], { from: users.carol.login, to: ["bob@example.test"] }),
      ).rejects.toMatchObject({ code: "SMTP_TIMEOUT" });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      process.env.MAIL_SMTP_URL = saved;
      vi.resetModules();
    }
  }, 30_000);
});

/**
 * A TCP proxy between the app and Dovecot that holds every byte the server sends for `delayMs`
 * (a latency, in order), and passes the app's bytes straight through: a slow or stalled server.
 */
function delayingProxy(target: { host: string; port: number }) {
  // searchDelayMs, when set, is the delay while `searching` (the app's last command was a SEARCH,
  // SORT or THREAD: the proxy sees only TLS, so the test tells it, see whileSearchesDelayed).
  const control = { delayMs: 0, searchDelayMs: null as number | null, searching: false };
  const open = new Set<Socket>();
  const server = createServer((app) => {
    const upstream = connect(target.port, target.host);
    open.add(app);
    open.add(upstream);
    const queue: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const pump = () => {
      timer = null;
      const now = Date.now();
      while (queue.length && queue[0]!.at <= now) {
        const { chunk } = queue.shift()!;
        if (!app.destroyed) app.write(chunk);
      }
      if (queue.length) timer = setTimeout(pump, queue[0]!.at - now);
    };
    upstream.on("data", (chunk: Buffer) => {
      // Never earlier than what is already waiting: bytes keep their order when the delay changes.
      const delay = control.searching && control.searchDelayMs !== null ? control.searchDelayMs : control.delayMs;
      queue.push({ at: Math.max(Date.now() + delay, queue.at(-1)?.at ?? 0), chunk });
      if (!timer) pump();
    });
    app.pipe(upstream);
    const end = () => {
      if (timer) clearTimeout(timer);
      app.destroy();
      upstream.destroy();
      open.delete(app);
      open.delete(upstream);
    };
    app.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  return {
    control,
    listen: () => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port))),
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("a slow server (a delaying TCP proxy between the app and Dovecot)", () => {
  // Short, so the test is quick; the default (30 s) is argued in lib/env.ts.
  const BOUND_MS = 1500;
  // SEARCH, SORT and THREAD wait longer (MAIL_IMAP_SEARCH_TIMEOUT_MS; 5 minutes by default).
  const SEARCH_BOUND_MS = 4500;
  const SLACK_MS = 1500;
  const proxy = delayingProxy(requireStackEnv());
  const saved = { url: process.env.MAIL_IMAP_URL, bound: process.env.MAIL_IMAP_COMMAND_TIMEOUT_MS, searchBound: process.env.MAIL_IMAP_SEARCH_TIMEOUT_MS };
  // The app's modules loaded anew with the proxy's address (the configuration is read once per load).
  let app: {
    listMessages: typeof listMessages;
    downloadPart: typeof downloadPart;
    getMessage: typeof getMessage;
    pool: typeof import("@/lib/mail/imap/pool");
    watchFolder: typeof import("@/lib/mail/imap/watch-folder").watchFolder;
    searchMessages: typeof import("@/lib/mail/imap/search-messages").searchMessages;
    config: ReturnType<typeof import("@/lib/env").serverConfig>;
  };
  const SLOW_FOLDER = `Faults slow ${run}`;
  const FILE_BYTES = 5 * 1024 * 1024;
  let fileRef: { folder: string; uidValidity: string; uid: number };
  let file: Buffer;

  beforeAll(async () => {
    const port = await proxy.listen();
    process.env.MAIL_IMAP_URL = `imap://127.0.0.1:${port}`;
    process.env.MAIL_IMAP_COMMAND_TIMEOUT_MS = String(BOUND_MS);
    process.env.MAIL_IMAP_SEARCH_TIMEOUT_MS = String(SEARCH_BOUND_MS);
    vi.resetModules();
    const env = await import("@/lib/env");
    app = {
      listMessages: (await import("@/lib/mail/imap/list-messages")).listMessages,
      downloadPart: (await import("@/lib/mail/imap/download-part")).downloadPart,
      getMessage: (await import("@/lib/mail/imap/get-message")).getMessage,
      pool: await import("@/lib/mail/imap/pool"),
      watchFolder: (await import("@/lib/mail/imap/watch-folder")).watchFolder,
      searchMessages: (await import("@/lib/mail/imap/search-messages")).searchMessages,
      config: env.serverConfig(),
    };
    expect(app.config.imapSearchTimeoutMs).toBe(SEARCH_BOUND_MS);
    expect(app.config.imapCommandTimeoutMs).toBe(BOUND_MS);
    // A 5 MB attachment: five 1 MB FETCH round trips, each as slow as the proxy makes it.
    file = randomBytes(FILE_BYTES);
    const boundary = `slow-${run}`;
    const message = [
      `From: Test <test@example.test>\r\nTo: carol@example.test\r\nSubject: slow ${run}\r\nMIME-Version: 1.0\r\n`,
      `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\nContent-Type: text/plain\r\n\r\nA file.\r\n`,
      `--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="slow.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
      file.toString("base64").replace(/.{76}/g, "$&\r\n"),
      `\r\n--${boundary}--\r\n`,
    ].join("");
    await raw.mailboxCreate(SLOW_FOLDER);
    const appended = await raw.append(SLOW_FOLDER, message);
    if (!appended || !appended.uid) throw new Error("append without APPENDUID");
    fileRef = { folder: SLOW_FOLDER, uidValidity: await uidValidityOf(raw, SLOW_FOLDER), uid: appended.uid };
  });
  afterAll(async () => {
    process.env.MAIL_IMAP_URL = saved.url;
    if (saved.bound === undefined) delete process.env.MAIL_IMAP_COMMAND_TIMEOUT_MS;
    else process.env.MAIL_IMAP_COMMAND_TIMEOUT_MS = saved.bound;
    if (saved.searchBound === undefined) delete process.env.MAIL_IMAP_SEARCH_TIMEOUT_MS;
    else process.env.MAIL_IMAP_SEARCH_TIMEOUT_MS = saved.searchBound;
    vi.resetModules();
    await raw.mailboxDelete(SLOW_FOLDER).catch(() => undefined);
    await proxy.close();
  });

  const partOf = async (account: MailAccount) => {
    const message = await app.getMessage(account, fileRef, { allowRemote: false });
    return message.attachments.find((a) => a.filename === "slow.bin")!.partId;
  };

  it("a command the server does not answer ends with a clear timeout within the bound; then the pool recovers", async () => {
    const account = freshAccount();
    proxy.control.delayMs = 0;
    expect((await app.listMessages(account, { folder: "INBOX", page: 0, pageSize: 5 })).messages.length).toBeGreaterThan(0);
    expect(app.pool.connectionCount(account.key)).toBe(1);

    // The server now answers three times later than the app waits.
    proxy.control.delayMs = BOUND_MS * 3;
    faultsInjected.count += 1;
    const started = Date.now();
    const error = await app.listMessages(account, { folder: "INBOX", page: 0, pageSize: 5 }).then(
      () => null,
      (e: unknown) => e,
    );
    const took = Date.now() - started;
    expect(error).toMatchObject({ code: "MAIL_SERVER_TIMEOUT", message: "The mail server is not answering. Try again in a moment." });
    expect(took).toBeGreaterThanOrEqual(BOUND_MS);
    expect(took).toBeLessThan(BOUND_MS * 1.25 + SLACK_MS);
    // The connection whose state is unknown is gone, not handed to the next request.
    expect(app.pool.connectionCount(account.key)).toBe(0);

    proxy.control.delayMs = 0;
    const page = await app.listMessages(account, { folder: "INBOX", page: 0, pageSize: 5 });
    expect(page.messages.length).toBeGreaterThan(0);
    expect(app.pool.connectionCount(account.key)).toBeLessThanOrEqual(app.config.imapMaxConnectionsPerAccount);
    expect(app.pool.loginConnectionCount(users.carol.login)).toBeLessThanOrEqual(app.config.imapMaxConnectionsPerAccount * 2);
  });

  /** Tells the proxy which command the app sent last (every command goes through imapflow's exec()). */
  function whileSearchesDelayed(): () => void {
    const original = proto.exec!;
    proto.exec = function (this: ImapFlow, command: unknown, ...rest: unknown[]) {
      proxy.control.searching = /^(?:UID )?(?:SEARCH|SORT|THREAD)$/i.test(String(command));
      return original.apply(this, [command, ...rest]);
    };
    return () => {
      proto.exec = original;
      proxy.control.searching = false;
      proxy.control.searchDelayMs = null;
    };
  }

  it("a search may keep the server silent past the command bound, up to its own; past that it ends with SEARCH_TIMEOUT naming the bound", async () => {
    // Patched before the account's first connection: the silence guard wraps exec() as it finds it.
    const restore = whileSearchesDelayed();
    try {
      await searchPastTheCommandBound();
    } finally {
      restore();
    }
  });

  async function searchPastTheCommandBound() {
    const account = freshAccount();
    const search = () => app.searchMessages(account, { query: "slow", folder: SLOW_FOLDER, page: 0, pageSize: 10 });
    proxy.control.delayMs = 0;
    // Twice the command bound of silence, as Dovecot keeps while its full-text index answers a
    // common word: the search still comes back, with its result.
    proxy.control.searchDelayMs = BOUND_MS * 2;
    faultsInjected.count += 1;
    let started = Date.now();
    const found = await search();
    expect(Date.now() - started).toBeGreaterThanOrEqual(BOUND_MS * 2);
    expect(found.messages.map((m) => m.uid)).toEqual([fileRef.uid]);

    // Silent past the search's own bound: a clear error within it (checks run every quarter).
    proxy.control.searchDelayMs = SEARCH_BOUND_MS * 3;
    started = Date.now();
    const error = await search().then(
      () => null,
      (e: unknown) => e,
    );
    const took = Date.now() - started;
    // The app's modules were loaded anew (vi.resetModules), so AppError is another class here.
    expect(error).toMatchObject({ name: "AppError", code: "SEARCH_TIMEOUT", status: 504 });
    expect((error as Error).message).toMatch(/did not finish within 5 seconds.*Narrow the search/);
    expect(took).toBeGreaterThanOrEqual(SEARCH_BOUND_MS);
    expect(took).toBeLessThan(SEARCH_BOUND_MS * 1.25 + SLACK_MS);
    expect(app.pool.connectionCount(account.key)).toBe(0);

    proxy.control.searchDelayMs = null;
    expect((await search()).total).toBe(1);
  }

  it("a search the browser gave up on ends at once and frees its connection, though the server is still at it", async () => {
    const restore = whileSearchesDelayed();
    try {
      const account = freshAccount();
      const search = (signal?: AbortSignal) => app.searchMessages(account, { query: "slow", folder: SLOW_FOLDER, page: 0, pageSize: 10 }, signal);
      expect((await search()).total).toBe(1);
      expect(app.pool.connectionCount(account.key)).toBe(1);
      proxy.control.searchDelayMs = SEARCH_BOUND_MS * 3;
      faultsInjected.count += 1;
      const controller = new AbortController();
      const started = Date.now();
      const outcome = search(controller.signal).then(
        () => null,
        (e: unknown) => e,
      );
      setTimeout(() => controller.abort(), 300);
      expect(await outcome).toMatchObject({ name: "AppError", code: "REQUEST_CANCELLED" });
      // Long before either bound: the connection was closed, not waited on.
      expect(Date.now() - started).toBeLessThan(BOUND_MS);
      expect(app.pool.connectionCount(account.key)).toBe(0);
      proxy.control.searchDelayMs = null;
      expect((await search()).total).toBe(1);
    } finally {
      restore();
    }
  });

  it("a download that keeps receiving is never cut, however long it takes; one that stops receiving is", async () => {
    const account = freshAccount();
    const partId = await partOf(account);
    // Each round trip a third of the bound: the whole transfer takes longer than the bound.
    proxy.control.delayMs = BOUND_MS / 3;
    const started = Date.now();
    const whole = await readAll((await app.downloadPart(account, fileRef, partId)).stream);
    const took = Date.now() - started;
    expect(whole.equals(file)).toBe(true);
    expect(took).toBeGreaterThan(BOUND_MS);

    // Stalled after the first bytes: the download fails (never ends as if complete) within the bound.
    proxy.control.delayMs = 0;
    const part = await app.downloadPart(account, fileRef, partId);
    let received = 0;
    let stalledAt = 0;
    const outcome = await new Promise<"ended" | "failed">((resolve) => {
      part.stream.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (!stalledAt) {
          stalledAt = Date.now();
          proxy.control.delayMs = 60_000;
          faultsInjected.count += 1;
        }
      });
      part.stream.once("end", () => resolve("ended"));
      part.stream.once("error", () => resolve("failed"));
    });
    expect(outcome).toBe("failed");
    expect(received).toBeLessThan(FILE_BYTES);
    expect(Date.now() - stalledAt).toBeLessThan(BOUND_MS * 1.25 + SLACK_MS);

    proxy.control.delayMs = 0;
    expect((await readAll((await app.downloadPart(account, fileRef, partId)).stream)).equals(file)).toBe(true);
    expect(app.pool.connectionCount(account.key)).toBeLessThanOrEqual(app.config.imapMaxConnectionsPerAccount);
  });

  it("neither an idle pooled connection nor the IDLE watch is cut for being quiet", async () => {
    proxy.control.delayMs = 0;
    const account = freshAccount();
    await app.listMessages(account, { folder: "INBOX", page: 0, pageSize: 1 });
    const arrived: string[] = [];
    const watch = await app.watchFolder(
      account,
      "INBOX",
      {
        onNewMessages: (_folder, _validity, messages) => arrived.push(...messages.map((m) => m.subject)),
        onFlags: () => undefined,
        onExpunge: () => undefined,
        onChanged: () => undefined,
        onCounts: () => undefined,
        onLost: () => undefined,
        onSignedOut: () => undefined,
      },
      { countsEveryMs: 0 },
    );
    try {
      // Quiet for twice the bound is the condition under test, so this one wait is on the clock.
      await new Promise((resolve) => setTimeout(resolve, BOUND_MS * 2));
      expect(app.pool.watchConnectionCount(users.carol.login)).toBe(1);
      expect(app.pool.connectionCount(account.key)).toBe(1);
      const subject = `idle ${run}`;
      await append("INBOX", subject);
      await waitFor("the watch to report the new message", () => arrived.includes(subject));
      // The same pooled connection serves the next request: it was not closed while idle.
      await app.listMessages(account, { folder: "INBOX", page: 0, pageSize: 1 });
      expect(app.pool.connectionCount(account.key)).toBe(1);
    } finally {
      await watch.close();
    }
  });
});
