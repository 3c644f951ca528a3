import { randomBytes } from "node:crypto";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { saveCredentials } from "@/lib/auth/credential-store";
import { authOptions } from "@/lib/auth/auth-options";
import { metaKey, type FolderMeta } from "@/lib/mail/cache/folder-cache";
import { listConversations } from "@/lib/mail/imap/list-conversations";
import { listMessages, listMessagesCached, listMessagesDirect } from "@/lib/mail/imap/list-messages";
import { getMessage } from "@/lib/mail/imap/get-message";
import { closeAccountConnections, selectedFolders, withImapClient } from "@/lib/mail/imap/pool";
import type { MessagePage, MessageSortKey } from "@/lib/mail/types";
import { purgeLogin } from "@/lib/mail/cache/cache-budget";
import { listThroughCache } from "@/lib/mail/cache/cached-list";
import { openFolderSource } from "@/lib/mail/imap/sync-folder";
import { getStore, openConfiguredStore, type Store } from "@/lib/store";
import { redisUrl, startRedis } from "./redis-support";
import { accountFor, rawClient, requireStackEnv, uidValidityOf, users } from "./support";

// The list's header cache (lib/mail/cache) against the real Dovecot: the app lists a folder of bob's
// (filling the cache), another client changes the folder over its own IMAP connection, and the
// app's very next list must show the server's state — never the cache's memory of it.
requireStackEnv();
const run = randomBytes(3).toString("hex");
const FOLDER = `Cache ${run}`;
const ELSEWHERE = `Cache elsewhere ${run}`;
let raw: ImapFlow;
const account = accountFor(users.bob);

function message(subject: string, date: string): string {
  return [
    "From: Sender <sender@example.org>",
    "To: bob@example.test",
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: <${subject.replace(/\W/g, "")}.${run}@example.org>`,
    "",
    `Body of ${subject}.`,
    "",
  ].join("\r\n");
}

async function append(folder: string, subject: string, day: number): Promise<number> {
  const result = await raw.append(folder, message(subject, `Mon, ${day} Jun 2026 10:00:00 +0000`));
  if (!result || !result.uid) throw new Error("append without APPENDUID");
  return result.uid;
}

async function inFolder<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const lock = await raw.getMailboxLock(folder);
  try {
    return await work();
  } finally {
    lock.release();
  }
}

const subjects = (page: MessagePage) => page.messages.map((m) => m.subject);
const list = (folder = FOLDER, page = 0, pageSize = 50) => listMessages(account, { folder, page, pageSize });

beforeAll(async () => {
  raw = await rawClient(users.bob);
  await raw.mailboxCreate(FOLDER);
  await raw.mailboxCreate(ELSEWHERE);
  for (let day = 1; day <= 6; day++) await append(FOLDER, `Day ${day}`, day);
});
afterAll(async () => {
  await raw.mailboxDelete(FOLDER).catch(() => undefined);
  await raw.mailboxDelete(ELSEWHERE).catch(() => undefined);
  await raw.logout();
  await closeAccountConnections(account.key);
});

describe("the folder list's header cache, while another client changes the folder", () => {
  it("answers a folder listed before from the cache, as the server has it", async () => {
    const first = await list();
    expect(subjects(first)).toEqual(["Day 6", "Day 5", "Day 4", "Day 3", "Day 2", "Day 1"]);
    const again = await list();
    expect(again.fromCache).toBe(true);
    expect(again.messages).toEqual(first.messages);
    expect(again.messages[0]!.preview).toMatch(/^Body of Day 6/);
  });

  it("shows flags set elsewhere on the next list", async () => {
    await list();
    const uid = (await list()).messages.find((m) => m.subject === "Day 5")!.uid;
    await inFolder(FOLDER, () => raw.messageFlagsAdd(String(uid), ["\\Seen", "\\Flagged"], { uid: true }));
    const after = await list();
    expect(after.messages.find((m) => m.uid === uid)?.flags).toMatchObject({ seen: true, flagged: true });
    await inFolder(FOLDER, () => raw.messageFlagsRemove(String(uid), ["\\Flagged"], { uid: true }));
    expect((await list()).messages.find((m) => m.uid === uid)?.flags).toMatchObject({ seen: true, flagged: false });
  });

  it("drops a message moved away elsewhere, and one deleted and expunged", async () => {
    const before = await list();
    const moved = before.messages.find((m) => m.subject === "Day 4")!.uid;
    const deleted = before.messages.find((m) => m.subject === "Day 2")!.uid;
    await inFolder(FOLDER, () => raw.messageMove(String(moved), ELSEWHERE, { uid: true }));
    let after = await list();
    expect(subjects(after)).toEqual(["Day 6", "Day 5", "Day 3", "Day 2", "Day 1"]);
    expect(after.total).toBe(5);
    await inFolder(FOLDER, () => raw.messageDelete(String(deleted), { uid: true }));
    after = await list();
    expect(subjects(after)).toEqual(["Day 6", "Day 5", "Day 3", "Day 1"]);
    // The other folder was listed nowhere before: it shows what arrived there.
    expect(subjects(await list(ELSEWHERE))).toEqual(["Day 4"]);
  });

  it("shows new mail in its place by date, and pages stay tiled", async () => {
    await list();
    await append(FOLDER, "Day 7", 7);
    await append(FOLDER, "Day 0", 1); // dated like Day 1: newest by arrival, yet sorted beside it
    const after = await list();
    expect(subjects(after)).toEqual(["Day 7", "Day 6", "Day 5", "Day 3", "Day 0", "Day 1"]);
    expect(after.total).toBe(6);
    const paged = [...subjects(await list(FOLDER, 0, 4)), ...subjects(await list(FOLDER, 1, 4))];
    expect(paged).toEqual(subjects(after));
  });

  it("starts anew when the folder is replaced (new UIDVALIDITY): no row of the old folder is shown", async () => {
    // A folder of its own: Dovecot's index of a folder replaced under a session that still views it
    // may answer a later APPEND with "Internal error" (a duplicate transaction log sequence, seen in
    // its log), which would fail the tests after this one on the shared folder.
    const folder = `Cache replaced ${run}`;
    await raw.mailboxCreate(folder);
    try {
      await append(folder, "Original", 8);
      const before = await list(folder);
      // The app's connection has the folder selected (a direct list selects it), as after any
      // opened message: Dovecot keeps that session's view of the deleted folder alive.
      await listMessagesDirect(account, { folder, page: 0, pageSize: 50 });
      await raw.mailboxDelete(folder);
      await raw.mailboxCreate(folder);
      await append(folder, "Replacement", 9);
      expect(await uidValidityOf(raw, folder)).not.toBe(before.uidValidity);
      const after = await list(folder);
      expect(after.uidValidity).not.toBe(before.uidValidity);
      expect(subjects(after)).toEqual(["Replacement"]);
      expect(after.total).toBe(1);
      // The connection that had the old folder selected still holds Dovecot's view of it; a message
      // of the new folder opened there selects the folder anew instead of calling its UID stale.
      const opened = await getMessage(account, { folder, uidValidity: after.uidValidity, uid: after.messages[0]!.uid }, { allowRemote: false });
      expect(opened.subject).toBe("Replacement");
    } finally {
      await raw.mailboxDelete(folder).catch(() => undefined);
    }
  });

  it("leaves the folder selected where a message of it was read: its STATUS is asked on another connection", async () => {
    const page = await list();
    await getMessage(account, { folder: FOLDER, uidValidity: page.uidValidity, uid: page.messages[0]!.uid }, { allowRemote: false });
    expect(selectedFolders(account.key)).toContain(FOLDER);
    // Answered from the cache after one STATUS, which must not deselect the folder on the reader's
    // connection: the next message opened would pay a SELECT of the whole folder again.
    await list();
    expect(selectedFolders(account.key)).toContain(FOLDER);
  });

  it("after a change elsewhere, brings the reader's view of the folder up to date rather than select it a second time", async () => {
    const session = accountFor(users.bob);
    const listed = () => listMessages(session, { folder: FOLDER, page: 0, pageSize: 50 });
    try {
      await append(FOLDER, "Read first", 20);
      await append(FOLDER, "Flagged elsewhere", 19);
      const page = await listed();
      await getMessage(session, { folder: FOLDER, uidValidity: page.uidValidity, uid: page.messages[0]!.uid }, { allowRemote: false });
      const target = page.messages[1]!.uid;
      await inFolder(FOLDER, () => raw.messageFlagsAdd(String(target), ["\\Flagged"], { uid: true }));
      const arrived = await append(FOLDER, "Arrived while reading", 28);
      const after = await listed();
      expect(after.messages[0]?.uid).toBe(arrived);
      expect(after.messages.find((m) => m.uid === target)?.flags.flagged).toBe(true);
      expect(after.total).toBe(page.total + 1);
      // Only the connection the message was read on has the folder selected: the list's catching
      // up ran there, after its STATUS on another connection.
      expect(selectedFolders(session.key).filter((f) => f === FOLDER)).toHaveLength(1);
    } finally {
      await closeAccountConnections(session.key);
    }
  });
});

describe("with QRESYNC, changes made elsewhere merged into the cache without sorting the whole folder", () => {
  // Order chunks of 4 UIDs (production: 1,000), so a small folder has many chunks and each change
  // lands in one of them, as in a big folder.
  const limits = { maxBytesPerLogin: 1e7, maxBytes: 1e9, orderChunk: 4 };
  const bob = accountFor(users.bob);
  const store = () => getStore();
  /** One list through the cache on a pooled connection, with what its source asked the server. */
  const listCounted = (folder: string, input: { sort?: MessageSortKey; order?: "asc" | "desc"; pageSize?: number; page?: number } = {}) =>
    withImapClient(bob, async (client) => {
      const source = openFolderSource(client, folder);
      try {
        const page = await listThroughCache(await store(), users.bob.login, source, { folder, page: 0, pageSize: 50, ...input }, limits);
        return { page: page!, asked: { ...source.asked } };
      } finally {
        source.release();
      }
    });
  const rowsOf = (page: MessagePage) => page.messages.map((m) => [m.uid, m.subject, m.flags.seen]);
  const at = (day: number, time = "10:00:00", zone = "+0000") => `Wed, ${day} Jun 2026 ${time} ${zone}`;

  afterAll(() => closeAccountConnections(bob.key));

  it("arrivals older, newer and equal in date, expunges on different pages and a flag change: the next list is the server's own", async () => {
    const folder = `Cache resync ${run}`;
    try {
      await raw.mailboxCreate(folder);
      const uids: Record<string, number> = {};
      for (let day = 1; day <= 24; day++) {
        const appended = await raw.append(folder, message(`Day ${day}`, at(day)));
        if (!appended || !appended.uid) throw new Error("append without APPENDUID");
        uids[`Day ${day}`] = appended.uid;
      }
      const filled = await listCounted(folder);
      expect(filled.page.total).toBe(24);
      await listCounted(folder, { sort: "arrival" });
      await listCounted(folder, { sort: "subject", order: "asc" });
      expect((await listCounted(folder)).page.fromCache).toBe(true);

      // Changes over the test's own connection while the app serves from its cache.
      await raw.append(folder, message("Newest", at(28)));
      await raw.append(folder, message("Old between 2 and 3", at(2, "18:00:00")));
      await raw.append(folder, message("Same as Day 8", at(8))); // Day 8 ends a chunk (5-8)
      await raw.append(folder, message("Same as Day 10", at(10))); // inside the chunk 9-12
      await raw.append(folder, message("Day 14 seen from Tokyo", at(15, "01:00:00", "+0900"))); // 14 Jun 16:00 UTC
      // No Date header: RFC 5256 sorts it by its internal date.
      await raw.append(folder, message("Undated", at(1)).replace(/^Date: .*\r\n/m, ""), [], new Date(Date.UTC(2026, 5, 19, 12)));
      await inFolder(folder, async () => {
        await raw.messageDelete(String(uids["Day 3"]), { uid: true });
        await raw.messageDelete(String(uids["Day 15"]), { uid: true });
        await raw.messageDelete(String(uids["Day 24"]), { uid: true });
        await raw.messageFlagsAdd(String(uids["Day 20"]), ["\\Seen"], { uid: true });
      });

      const after = await listCounted(folder);
      // One FETCH (CHANGEDSINCE … VANISHED), a few SORTs over UID sets, no SORT of the whole folder.
      expect(after.asked).toMatchObject({ order: 0, changesSince: 1, changedFlags: 0 });
      expect(after.asked.sortSome).toBeGreaterThan(0);
      const direct = await listMessagesDirect(bob, { folder, page: 0, pageSize: 50 });
      expect(rowsOf(after.page)).toEqual(rowsOf(direct));
      expect(after.page.total).toBe(27);
      expect(after.page.messages.find((m) => m.subject === "Day 20")?.flags.seen).toBe(true);
      for (const [sort, order] of [["arrival", "desc"], ["subject", "asc"], ["date", "asc"]] as const) {
        const cached = await listCounted(folder, { sort, order });
        expect(cached.asked.order).toBe(0);
        expect(rowsOf(cached.page)).toEqual(rowsOf(await listMessagesDirect(bob, { folder, page: 0, pageSize: 50, sort, order })));
      }
      // Pages of 5 tile the same order.
      const paged: number[] = [];
      for (let page = 0; page < 6; page++) paged.push(...(await listCounted(folder, { page, pageSize: 5 })).page.messages.map((m) => m.uid));
      expect(paged).toEqual(direct.messages.map((m) => m.uid));

      // One more arrival, among the oldest: for each sorted order cached (date, subject; arrival
      // order needs no SORT), one SORT over its chunks' last UIDs and one over a chunk (at most 8
      // UIDs: a chunk splits past twice its size).
      const meta = (await (await store()).kv.get<FolderMeta>(metaKey(users.bob.login, folder)))!;
      await raw.append(folder, message("Late arrival", at(1, "12:00:00")));
      const late = await listCounted(folder);
      expect(late.asked).toMatchObject({ order: 0, changesSince: 1, sortSome: 4 });
      expect(late.asked.sortedUids).toBeLessThanOrEqual(meta.chunks.date!.length + meta.chunks.subject!.length + 2 * (1 + 8 + 1));
      expect(rowsOf(late.page)).toEqual(rowsOf(await listMessagesDirect(bob, { folder, page: 0, pageSize: 50 })));
      expect(late.page.messages.at(-2)?.subject).toBe("Late arrival");
    } finally {
      await raw.mailboxDelete(folder).catch(() => undefined);
    }
  });
});

describe("the conversation view through the cache", () => {
  it("answers from the cache, and a reply or a flag set elsewhere shows on the next list", async () => {
    const folder = `Cache threads ${run}`;
    const bob = accountFor(users.bob);
    const threads = () => listConversations(bob, { folder, page: 0, pageSize: 50 });
    try {
      await raw.mailboxCreate(folder);
      await append(folder, "Lunch", 1);
      await append(folder, "Budget", 2);
      const first = await threads();
      expect(first.messages.map((m) => m.subject)).toEqual(["Budget", "Lunch"]);
      const again = await threads();
      expect(again.fromCache).toBe(true);
      expect(again.messages).toEqual(first.messages);

      const reply = [
        "From: Bob <bob@example.test>",
        "To: sender@example.org",
        "Subject: Re: Lunch",
        "Date: Mon, 3 Jun 2026 10:00:00 +0000",
        `Message-ID: <reply.${run}@example.test>`,
        `In-Reply-To: <Lunch.${run}@example.org>`,
        `References: <Lunch.${run}@example.org>`,
        "",
        "Yes.",
        "",
      ].join("\r\n");
      await raw.append(folder, reply);
      const after = await threads();
      expect(after.messages.map((m) => [m.subject, m.conversation?.uids.length])).toEqual([
        ["Lunch", 2],
        ["Budget", 1],
      ]);
      const budget = after.messages[1]!.uid;
      await inFolder(folder, () => raw.messageFlagsAdd(String(budget), ["\\Seen"], { uid: true }));
      expect((await threads()).messages[1]!.flags.seen).toBe(true);
    } finally {
      await raw.mailboxDelete(folder).catch(() => undefined);
      await closeAccountConnections(bob.key);
    }
  });
});

describe("the cache's bounds against the real server", () => {
  it("evicts the least recently used folder past the login's cap", async () => {
    const store = await getStore();
    const [a, b] = [`Cache cap A ${run}`, `Cache cap B ${run}`];
    const bob = accountFor(users.bob);
    try {
      for (const folder of [a, b]) {
        await raw.mailboxCreate(folder);
        for (let day = 1; day <= 3; day++) await append(folder, `${folder} ${day}`, day);
      }
      expect(await listMessagesCached(bob, { folder: a, page: 0, pageSize: 50 }, { maxBytesPerLogin: 1e7, maxBytes: 1e9 })).not.toBeNull();
      const first = (await store.kv.get<FolderMeta>(metaKey(users.bob.login, a)))!;
      expect(first.bytes).toBeGreaterThan(0);
      // A cap that holds one such folder, not two: filling B evicts A, the least recently used.
      const cap = { maxBytesPerLogin: first.bytes + 10, maxBytes: 1e9 };
      const page = await listMessagesCached(bob, { folder: b, page: 0, pageSize: 50 }, cap);
      expect(page?.messages).toHaveLength(3);
      expect(await store.kv.get(metaKey(users.bob.login, a))).toBeNull();
      expect(await store.kv.get(metaKey(users.bob.login, b))).not.toBeNull();
    } finally {
      for (const folder of [a, b]) await raw.mailboxDelete(folder).catch(() => undefined);
      await closeAccountConnections(bob.key);
    }
  });

  it("deletes a login's cache when its last session signs out, not before", async () => {
    const store = await getStore();
    const carol = accountFor(users.carol);
    await listMessages(carol, { folder: "INBOX", page: 0, pageSize: 10 });
    expect(await store.kv.get(metaKey(users.carol.login, "INBOX"))).not.toBeNull();
    const [one, two] = [await saveCredentials(users.carol.login, users.carol.password, 60_000), await saveCredentials(users.carol.login, users.carol.password, 60_000)];
    const signOut = authOptions().events!.signOut!;
    await signOut({ token: { sid: one.sessionId }, session: null as never });
    expect(await store.kv.get(metaKey(users.carol.login, "INBOX"))).not.toBeNull();
    await signOut({ token: { sid: two.sessionId }, session: null as never });
    expect(await store.kv.get(metaKey(users.carol.login, "INBOX"))).toBeNull();
    await closeAccountConnections(carol.key);
  });
});

describe("in Redis, shared by two instances", () => {
  it("one instance fills, the other answers from the cache, and a change elsewhere shows on either", async () => {
    startRedis();
    const [one, two] = await Promise.all([1, 2].map(() => openConfiguredStore({ LETTERBOX_REDIS_URL: redisUrl() })));
    const folder = `Cache shared ${run}`;
    const dave = accountFor(users.bob);
    try {
      await raw.mailboxCreate(folder);
      for (let day = 1; day <= 3; day++) await append(folder, `Shared ${day}`, day);
      const listOn = (store: Store) =>
        withImapClient(dave, async (client) => {
          const source = openFolderSource(client, folder);
          try {
            return await listThroughCache(store, users.bob.login, source, { folder, page: 0, pageSize: 50 }, { maxBytesPerLogin: 1e7, maxBytes: 1e9 });
          } finally {
            source.release();
          }
        });
      const filled = await listOn(one!);
      expect(filled?.fromCache).toBe(false);
      const served = await listOn(two!);
      expect(served?.fromCache).toBe(true);
      expect(served?.messages).toEqual(filled?.messages);
      const uid = filled!.messages[0]!.uid;
      await inFolder(folder, () => raw.messageDelete(String(uid), { uid: true }));
      expect(subjects((await listOn(two!))!)).toEqual(["Shared 2", "Shared 1"]);
      expect(subjects((await listOn(one!))!)).toEqual(["Shared 2", "Shared 1"]);
      await purgeLogin(one!, users.bob.login);
      expect(await two!.kv.get(metaKey(users.bob.login, folder))).toBeNull();
    } finally {
      await raw.mailboxDelete(folder).catch(() => undefined);
      await closeAccountConnections(dave.key);
      await Promise.all([one?.close(), two?.close()]);
    }
  });
});

describe("on a server without CONDSTORE", () => {
  const defaultUrl = process.env.MAIL_IMAP_URL;
  const gina = { login: "gina@example.test", password: "gina-password" };
  const folder = `Cache plain ${run}`;
  let plain: ImapFlow;

  afterAll(async () => {
    await plain?.mailboxDelete(folder).catch(() => undefined);
    await plain?.logout();
    process.env.MAIL_IMAP_URL = defaultUrl;
  });

  it("still shows flags set elsewhere on the next list (the page's flags are asked each time)", async () => {
    const url = process.env.MAIL_IMAP_PLAIN_URL;
    if (!url) throw new Error("MAIL_IMAP_PLAIN_URL missing: start the stack with MAIL_TEST_MODE=1 (npm test does)");
    const parsed = new URL(url);
    plain = new ImapFlow({ host: parsed.hostname, port: Number(parsed.port), secure: false, auth: { user: gina.login, pass: gina.password }, logger: false, tls: { rejectUnauthorized: false } });
    plain.on("error", () => undefined);
    await plain.connect();
    expect(plain.capabilities.has("CONDSTORE")).toBe(false);
    await plain.mailboxCreate(folder);
    for (let day = 1; day <= 3; day++) await plain.append(folder, message(`Plain ${day}`, `Mon, ${day} Jun 2026 10:00:00 +0000`));

    process.env.MAIL_IMAP_URL = url;
    vi.resetModules();
    const app = await import("@/lib/mail/imap/list-messages");
    const pool = await import("@/lib/mail/imap/pool");
    const ginaAccount = accountFor(gina);
    try {
      const first = await app.listMessages(ginaAccount, { folder, page: 0, pageSize: 50 });
      expect(first.messages.every((m) => !m.flags.seen)).toBe(true);
      const uid = first.messages[1]!.uid;
      const lock = await plain.getMailboxLock(folder);
      try {
        await plain.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
      } finally {
        lock.release();
      }
      const after = await app.listMessages(ginaAccount, { folder, page: 0, pageSize: 50 });
      expect(after.messages.find((m) => m.uid === uid)?.flags.seen).toBe(true);
      expect(after.fromCache).toBe(true);
    } finally {
      await pool.closeAccountConnections(ginaAccount.key);
    }
  });
});
