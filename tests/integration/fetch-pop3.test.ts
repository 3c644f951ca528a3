import net from "node:net";
import { createHash, randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { fetchPop3Mailbox, testPop3Login, type FetchMode, type Pop3Source } from "@/lib/mail/fetch-pop3";
import { FetchLedger } from "@/lib/mail/fetch-pop3/fetch-ledger";
import { connectPop3 } from "@/lib/mail/pop3";
import { submitMessage } from "@/lib/mail/smtp/submit-message";
import type { KvStore, LeaseStore } from "@/lib/store";
import { accountFor, rawClient, users } from "./support";
import { appendToInbox, dave, deleteFolder, emptyInbox, fetchState, pop3Ports, readFolder, testMessage } from "./pop3-support";

// Fetching dave's POP3 mailbox into a folder of alice's IMAP mailbox, both on the real Dovecot.
const { host, pop3, pop3s } = pop3Ports();
const source: Pop3Source = { host, port: pop3, security: "starttls", ...dave, tlsInsecure: true };

// Each test is a POP3 account of its own (its own ledger in the store), as two users' accounts are.
let accountId = "";
let state: { kv: KvStore; leases: LeaseStore };

function run(options: { folder: string; mode: FetchMode } & Partial<{ source: Pop3Source; maxMessageBytes: number }>) {
  return fetchPop3Mailbox({
    accountId,
    source: options.source ?? source,
    mode: options.mode,
    // A pool of its own per run, as the worker's runs have: the tests delete folders between runs,
    // which makes Dovecot drop any other connection that had them selected.
    destination: { account: accountFor(users.alice), folder: options.folder },
    ...state,
    maxMessageBytes: options.maxMessageBytes,
    timeoutMs: 15_000,
  });
}

/** The unique-id (UIDL) of message `number` in dave's POP3 mailbox now. */
async function uidOf(number: number): Promise<string> {
  const session = await connectPop3(source);
  try {
    return (await session.listUniqueIds()).find((m) => m.number === number)!.uid;
  } finally {
    await session.quit();
  }
}

async function popCount(): Promise<number> {
  const session = await connectPop3(source);
  try {
    return (await session.listUniqueIds()).length;
  } finally {
    await session.quit();
  }
}

// Byte-identical, compared by digest: deep equality on megabyte Buffers takes seconds per message.
const digests = (list: Buffer[]) => list.map((b) => createHash("sha256").update(b).digest("hex")).sort();

/** Waits, by polling the server, until dave's INBOX holds `count` messages (SMTP delivery is async). */
async function waitForInbox(count: number): Promise<void> {
  const client = await rawClient(dave);
  try {
    for (const started = Date.now(); Date.now() - started < 20_000; ) {
      const status = await client.status("INBOX", { messages: true });
      if (status && status.messages === count) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`dave's INBOX never reached ${count} messages`);
  } finally {
    await client.logout();
  }
}

describe("fetching a POP3 mailbox into an IMAP folder", () => {
  beforeEach(async () => {
    await emptyInbox(dave);
    accountId = `test-${randomUUID()}`;
    state = await fetchState();
  });

  it("download-and-keep: fetches each message once, also after renumbering and new mail by SMTP", async () => {
    const folder = `POP3 keep ${randomUUID().slice(0, 8)}`;
    const originals = [
      testMessage("Keep one", { date: "Mon, 02 Nov 2026 08:30:00 +0100" }),
      testMessage("Keep two"),
      testMessage("Keep three"),
    ];
    await appendToInbox(dave, originals);
    try {
      const first = await run({ folder, mode: "keep" });
      expect(first).toMatchObject({ fetched: 3, alreadyFetched: 0, deleted: 0, problem: null, onServer: 3 });
      const filed = await readFolder(users.alice, folder);
      expect(digests(filed.map((m) => m.raw))).toEqual(digests(originals));
      expect(filed.every((m) => !m.seen)).toBe(true);
      // INTERNALDATE is the Date header's moment.
      const one = filed.find((m) => m.raw.equals(originals[0]!))!;
      expect(one.internalDate.toISOString()).toBe("2026-11-02T07:30:00.000Z");
      expect(await popCount()).toBe(3);

      expect(await run({ folder, mode: "keep" })).toMatchObject({ fetched: 0, alreadyFetched: 3, problem: null });

      // The server renumbers after a deletion elsewhere: message 1 goes, 2 and 3 become 1 and 2.
      const other = await connectPop3(source);
      await other.markDeleted(1);
      await other.quit();
      const smtp = testMessage("Delivered by SMTP");
      await submitMessage(accountFor(users.bob), [smtp], { from: users.bob.login, to: [dave.login] });
      await waitForInbox(3);
      const third = await run({ folder, mode: "keep" });
      expect(third).toMatchObject({ fetched: 1, alreadyFetched: 2, problem: null });
      const after = await readFolder(users.alice, folder);
      expect(after).toHaveLength(4);
      expect(after.filter((m) => m.raw.includes("Subject: Delivered by SMTP"))).toHaveLength(1);
      expect(await run({ folder, mode: "keep" })).toMatchObject({ fetched: 0, alreadyFetched: 3 });
    } finally {
      await deleteFolder(users.alice, folder);
    }
  });

  it("download-and-delete: the POP3 mailbox ends empty and every message is in the folder, byte-identical", async () => {
    const folder = `POP3 delete ${randomUUID().slice(0, 8)}`;
    const originals = Array.from({ length: 6 }, (_, i) => testMessage(`Delete ${i}`));
    await appendToInbox(dave, originals);
    try {
      const report = await run({ folder, mode: "delete", source: { ...source, port: pop3s, security: "tls" } });
      expect(report).toMatchObject({ fetched: 6, deleted: 6, problem: null });
      expect(await popCount()).toBe(0);
      const filed = await readFolder(users.alice, folder);
      expect(digests(filed.map((m) => m.raw))).toEqual(digests(originals));
    } finally {
      await deleteFolder(users.alice, folder);
    }
  });

  it("a connection dropped in the middle of RETR deletes nothing, and the next run appends nothing twice", async () => {
    const folder = `POP3 drop ${randomUUID().slice(0, 8)}`;
    const big = "x".repeat(76) + "\r\n";
    const originals = [
      testMessage("Drop one"),
      testMessage("Drop two"),
      testMessage("Drop three (large)", { body: big.repeat(30_000) }), // ~2.3 MB: the cut lands inside it
      testMessage("Drop four"),
    ];
    await appendToInbox(dave, originals);
    // A loopback proxy in front of the real POP3 port that cuts both sides 1 MB into the third RETR.
    const proxy = await cuttingProxy(pop3, { afterCommand: /^RETR /, occurrence: 3, afterBytes: 1_000_000 });
    try {
      const broken = await run({ folder, mode: "delete", source: { ...source, port: proxy.port, security: "none" } });
      expect(broken.problem?.code).toBe("CONNECTION_LOST");
      expect(broken.fetched).toBe(2);
      expect(await popCount()).toBe(4); // DELEs of the first two were never committed (no QUIT)
      expect(await readFolder(users.alice, folder)).toHaveLength(2);

      const next = await run({ folder, mode: "delete" });
      expect(next).toMatchObject({ fetched: 2, alreadyFetched: 2, deleted: 4, problem: null });
      expect(await popCount()).toBe(0);
      const filed = await readFolder(users.alice, folder);
      expect(digests(filed.map((m) => m.raw))).toEqual(digests(originals));
    } finally {
      proxy.close();
      await deleteFolder(users.alice, folder);
    }
  });

  it("a run that stopped between APPEND and its record does not file the message twice", async () => {
    const folder = `POP3 crash ${randomUUID().slice(0, 8)}`;
    const message = testMessage("Appended, then the process died");
    await appendToInbox(dave, [message]);
    try {
      // What a run leaves when it dies right after the IMAP server confirmed APPEND: the message is
      // in the folder, the ledger still says "appending".
      const session = await connectPop3(source);
      const [{ uid }] = (await session.listUniqueIds()) as [{ uid: string; number: number }];
      session.close();
      const ledger = new FetchLedger(state.kv, accountId, source);
      const messageId = /Message-ID: (<[^>]+>)/.exec(message.toString())![1]!;
      await ledger.write(uid, { state: "appending", messageId, size: message.length, folder });
      const client = await rawClient(users.alice);
      await client.mailboxCreate(folder);
      await client.append(folder, message);
      await client.logout();

      const report = await run({ folder, mode: "delete" });
      expect(report).toMatchObject({ fetched: 0, alreadyFetched: 1, deleted: 1, problem: null });
      expect(await readFolder(users.alice, folder)).toHaveLength(1);
      expect(await popCount()).toBe(0);
    } finally {
      await deleteFolder(users.alice, folder);
    }
  });

  it("a message without a Message-ID, the run killed right after APPEND: found by its mark, never filed twice", async () => {
    const folder = `POP3 no id ${randomUUID().slice(0, 8)}`;
    // Two alike but for their bodies, neither with a Message-ID; the run dies after the second APPEND.
    const plain = (n: number) => Buffer.from(`From: Old Provider <news@old-provider.example>\r\nSubject: No Message-ID\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nBody ${n}.\r\n`);
    await appendToInbox(dave, [plain(1), plain(2)]);
    const second = await uidOf(2);
    const realKv = state.kv;
    let killed = false;
    // The store as the fetcher sees it, but the write of the second message's "appended" never happens.
    const set: KvStore["set"] = async (key, value, options) => {
      if (!killed && (value as unknown as { state?: string }).state === "appended" && key.endsWith(`:${second}`)) {
        killed = true;
        throw new Error("the process died");
      }
      return realKv.set(key, value, options);
    };
    const dying = new Proxy(realKv, {
      get: (target, property) => {
        if (property === "set") return set;
        const value: unknown = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    try {
      state = { ...state, kv: dying };
      const first = await run({ folder, mode: "delete" });
      expect(killed).toBe(true);
      expect(first.problem).not.toBeNull();
      const afterCrash = await readFolder(users.alice, folder);
      expect(afterCrash).toHaveLength(2);
      // Each filed copy is the served message, its mark as the first header line and nothing else changed.
      for (const copy of afterCrash.map((m) => m.raw)) expect(copy.toString()).toMatch(/^X-Letterbox-Pop3-UIDL: \S+; mailbox=[0-9a-f]{16}\r\n/);
      expect(digests(afterCrash.map((m) => m.raw.subarray(m.raw.indexOf("\r\n") + 2)))).toEqual(digests([plain(1), plain(2)]));
      expect(await popCount()).toBe(2);

      state = { ...state, kv: realKv };
      const next = await run({ folder, mode: "delete" });
      expect(next).toMatchObject({ fetched: 0, alreadyFetched: 2, deleted: 2, problem: null });
      expect(await readFolder(users.alice, folder)).toHaveLength(2);
      expect(await popCount()).toBe(0);
    } finally {
      state = { ...state, kv: realKv };
      await deleteFolder(users.alice, folder);
    }
  });

  it("a wrong password or an unreachable server is a clear problem, and nothing is filed", async () => {
    const folder = `POP3 fail ${randomUUID().slice(0, 8)}`;
    await appendToInbox(dave, [testMessage("Never fetched")]);
    try {
      const wrong = await run({ folder, mode: "delete", source: { ...source, password: "not-daves" } });
      expect(wrong.problem).toMatchObject({ code: "AUTH_FAILED" });
      expect(wrong.problem!.message).not.toContain("not-daves");
      const unreachable = await run({ folder, mode: "delete", source: { ...source, port: await closedPort() } });
      expect(unreachable.problem).toMatchObject({ code: "UNREACHABLE" });
      expect(await readFolder(users.alice, folder)).toHaveLength(0);
      expect(await popCount()).toBe(1);
    } finally {
      await deleteFolder(users.alice, folder);
    }
  });

  it("two overlapping runs of one account (schedule and Check now): one fetches, the other is BUSY", async () => {
    const folder = `POP3 overlap ${randomUUID().slice(0, 8)}`;
    const originals = Array.from({ length: 5 }, (_, i) => testMessage(`Overlap ${i}`));
    await appendToInbox(dave, originals);
    try {
      const reports = await Promise.all([run({ folder, mode: "delete" }), run({ folder, mode: "delete" })]);
      expect(reports.map((r) => r.problem?.code ?? "ok").sort()).toEqual(["BUSY", "ok"]);
      expect(reports.reduce((n, r) => n + r.fetched, 0)).toBe(5);
      const filed = await readFolder(users.alice, folder);
      expect(digests(filed.map((m) => m.raw))).toEqual(digests(originals));
    } finally {
      await deleteFolder(users.alice, folder);
    }
  });

  it("Test connection says what works and what does not, in plain words", async () => {
    expect(await testPop3Login(source)).toEqual({ ok: true, messages: 0 });
    expect(await testPop3Login({ ...source, password: "nope" })).toMatchObject({ ok: false, problem: { code: "AUTH_FAILED" } });
    expect(await testPop3Login({ ...source, tlsInsecure: false })).toMatchObject({
      ok: false,
      problem: { code: "TLS_CERTIFICATE", message: expect.stringContaining("certificate") },
    });
    expect(await testPop3Login({ ...source, port: await closedPort() })).toMatchObject({ ok: false, problem: { code: "UNREACHABLE" } });
  });

  it("a message over the size limit stays on the server and is reported by subject", async () => {
    const folder = `POP3 large ${randomUUID().slice(0, 8)}`;
    await appendToInbox(dave, [testMessage("Small enough"), testMessage("Far too large", { body: "y".repeat(70) + "\r\n".repeat(1) + "z\r\n".repeat(40_000) })]);
    try {
      const report = await run({ folder, mode: "delete", maxMessageBytes: 64 * 1024 });
      expect(report).toMatchObject({ fetched: 1, deleted: 1, problem: null });
      expect(report.tooLarge).toEqual([{ uid: expect.any(String), size: expect.any(Number), subject: "Far too large" }]);
      expect(await popCount()).toBe(1);
    } finally {
      await deleteFolder(users.alice, folder);
    }
  });
});

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A TCP proxy on loopback to the real POP3 server that drops both connections once `afterBytes`
 * of the answer to the `occurrence`-th command matching `afterCommand` have passed: a network
 * failure in the middle of a download, with the real server on the other side.
 */
async function cuttingProxy(
  targetPort: number,
  cut: { afterCommand: RegExp; occurrence: number; afterBytes: number },
): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, host);
    sockets.add(client).add(upstream);
    let seen = 0;
    let armed = false;
    let passed = 0;
    client.on("data", (data) => {
      for (const line of data.toString("latin1").split("\r\n")) if (cut.afterCommand.test(line) && ++seen === cut.occurrence) armed = true;
      upstream.write(data);
    });
    upstream.on("data", (data) => {
      if (!armed) return void client.write(data);
      const room = cut.afterBytes - passed;
      if (data.length >= room) {
        client.write(data.subarray(0, Math.max(room, 0)));
        client.destroy();
        upstream.destroy();
        return;
      }
      passed += data.length;
      client.write(data);
    });
    for (const s of [client, upstream]) {
      s.on("error", () => undefined);
      s.on("close", () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
