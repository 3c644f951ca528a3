import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ImapFlow } from "imapflow";
import type { MessagePage } from "@/lib/mail/types";
import { accountFor, rawClient, requireStackEnv, uidValidityOf, users } from "./support";

// A conversation of five messages across bob's Inbox and Sent, with real Message-ID, In-Reply-To
// and References (RFC 5322 §3.6.4), appended in an order that is not the conversation's; plus a
// folder of this run's own whose conversations and paging are known exactly.
requireStackEnv();
const run = randomBytes(3).toString("hex");
const SUBJECT = `Boat trip ${run}`;
const FOLDER = `Threads ${run}`;
let raw: ImapFlow;

interface Mail {
  name: string;
  folder: "INBOX" | "Sent";
  from: string;
  to: string;
  day: number;
  replyTo?: string;
  seen?: boolean;
}

const id = (name: string) => `<${name}.${run}@example.org>`;

// Oldest first: a, b (bob's reply, in Sent), c, d (bob again), e.
const thread: Mail[] = [
  { name: "a", folder: "INBOX", from: "Priya Patel <priya@example.org>", to: "bob@example.test", day: 1, seen: true },
  { name: "b", folder: "Sent", from: "Bob <bob@example.test>", to: "priya@example.org", day: 2, replyTo: "a", seen: true },
  { name: "c", folder: "INBOX", from: "Priya Patel <priya@example.org>", to: "bob@example.test", day: 3, replyTo: "b" },
  { name: "d", folder: "Sent", from: "Bob <bob@example.test>", to: "priya@example.org", day: 4, replyTo: "c", seen: true },
  { name: "e", folder: "INBOX", from: "Zoe Zhang <zoe@example.org>", to: "bob@example.test", day: 5, replyTo: "d" },
];

function source(m: Mail, subject: string, chain: string[]): string {
  const lines = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${m.replyTo ? `Re: ${subject}` : subject}`,
    `Date: ${new Date(Date.UTC(2026, 10, m.day, 9)).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${id(m.name)}`,
  ];
  if (m.replyTo) lines.push(`In-Reply-To: ${id(m.replyTo)}`, `References: ${chain.join(" ")}`);
  return [...lines, "", `Message ${m.name} of the boat trip.`, ""].join("\r\n");
}

/** Appends a chain: each message references every earlier one (as mail clients write it). */
async function appendChain(mails: Mail[], subject: string, folderOf: (m: Mail) => string) {
  const chain: string[] = [];
  // Appended newest first: arrival order must not decide the conversation's order.
  const sources = mails.map((m) => {
    const s = source(m, subject, [...chain]);
    chain.push(id(m.name));
    return { m, s };
  });
  for (const { m, s } of [...sources].reverse()) await raw.append(folderOf(m), s, m.seen ? ["\\Seen"] : []);
}

beforeAll(async () => {
  raw = await rawClient(users.bob);
  await appendChain(thread, SUBJECT, (m) => m.folder);
  await raw.mailboxCreate(FOLDER);
  // The own folder: two conversations of two and three messages, and three single messages, dates interleaved.
  const plain = (name: string, day: number, replyTo?: string): Mail => ({ name, folder: "INBOX", from: "Sam <sam@example.org>", to: "bob@example.test", day, replyTo });
  await appendChain([plain("p1", 1), plain("p2", 6, "p1")], `Pair ${run}`, () => FOLDER);
  await appendChain([plain("t1", 2), plain("t2", 3, "t1"), plain("t3", 8, "t2")], `Trio ${run}`, () => FOLDER);
  for (const [name, day] of [["s1", 4], ["s2", 5], ["s3", 7]] as const) await appendChain([plain(name, day)], `Single ${name} ${run}`, () => FOLDER);
});

afterAll(async () => {
  await raw.mailboxDelete(FOLDER).catch(() => undefined);
  for (const folder of ["INBOX", "Sent"]) {
    const lock = await raw.getMailboxLock(folder);
    try {
      const uids = (await raw.search({ header: { "message-id": `.${run}@example.org` } }, { uid: true })) || [];
      if (uids.length) await raw.messageDelete(uids.join(","), { uid: true });
    } finally {
      lock.release();
    }
  }
  await raw.logout();
});

/** The conversation functions as the app runs them against the server at `url` (a module graph of its own). */
async function appAgainst(url: string | undefined) {
  if (!url) throw new Error("MAIL_IMAP_BASIC_URL missing: start the stack with MAIL_TEST_MODE=1");
  process.env.MAIL_IMAP_URL = url;
  vi.resetModules();
  const { listConversations } = await import("@/lib/mail/imap/list-conversations");
  const { getConversation } = await import("@/lib/mail/imap/get-conversation");
  const { closeAccountConnections } = await import("@/lib/mail/imap/pool");
  const account = accountFor(users.bob);
  return {
    list: (folder: string, page = 0, pageSize = 50, order: "desc" | "asc" = "desc") => listConversations(account, { folder, page, pageSize, order }),
    get: (folder: string, uidValidity: string, uid: number, members?: number[]) => getConversation(account, { folder, uidValidity, uid }, members),
    close: () => closeAccountConnections(account.key),
  };
}

const subjects = (page: MessagePage) => page.messages.map((m) => m.subject.replace(/^Re: /, "").replace(` ${run}`, ""));

for (const [server, urlVar, threads] of [
  ["with THREAD=REFS (the project's Dovecot)", "MAIL_IMAP_URL", true],
  ["without THREAD (grouped by headers)", "MAIL_IMAP_BASIC_URL", false],
] as const) {
  describe(`conversations on a server ${server}`, () => {
    const original = process.env.MAIL_IMAP_URL;
    let app: Awaited<ReturnType<typeof appAgainst>>;
    beforeAll(async () => {
      app = await appAgainst(process.env[urlVar]);
    });
    afterAll(async () => {
      await app.close();
      process.env.MAIL_IMAP_URL = original;
    });

    it("lists a thread across Inbox and Sent as one Inbox row, and opens it as five messages in order", async () => {
      const page = await app.list("INBOX");
      expect(page.conversations).toBe(true);
      const rows = page.messages.filter((m) => m.subject.includes(run));
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      const inboxUids = await (async () => {
        const lock = await raw.getMailboxLock("INBOX");
        try {
          const found: Record<string, number> = {};
          // By the envelope's Message-ID compared whole: SEARCH HEADER is a substring match, and the
          // stack's full-text index matches words, so it finds the thread's siblings too.
          const byId = new Map<string, number>();
          for await (const m of raw.fetch("1:*", { uid: true, envelope: true })) if (m.envelope?.messageId) byId.set(m.envelope.messageId, m.uid);
          for (const name of ["a", "c", "e"]) found[name] = byId.get(id(name))!;
          return found;
        } finally {
          lock.release();
        }
      })();
      // The row: its newest message's uid and sender, the conversation's subject, unread as any is.
      expect(row.uid).toBe(inboxUids.e);
      expect(row.subject).toBe(SUBJECT);
      expect(row.from[0]?.address).toBe("zoe@example.org");
      expect(row.flags.seen).toBe(false);
      expect(row.conversation?.uids).toEqual([inboxUids.e, inboxUids.c, inboxUids.a]);
      expect([...(row.conversation?.unreadUids ?? [])].sort()).toEqual([inboxUids.c, inboxUids.e].sort());
      expect(row.conversation?.participants.map((p) => p.address)).toEqual(["priya@example.org", "zoe@example.org"]);
      // Opaque: no Message-ID, subject or address in the id.
      expect(row.conversation?.id).toMatch(/^[A-Za-z0-9_-]{22}$/);

      const uidValidity = await uidValidityOf(raw, "INBOX");
      const conversation = await app.get("INBOX", uidValidity, inboxUids.c!);
      expect(conversation.id).toBe(row.conversation?.id);
      expect(conversation.subject).toBe(SUBJECT);
      expect(conversation.messages.map((m) => `${m.folder}:${m.subject.startsWith("Re: ") ? "re" : "new"}:${m.date.slice(8, 10)}`)).toEqual([
        "INBOX:new:01",
        "Sent:re:02",
        "INBOX:re:03",
        "Sent:re:04",
        "INBOX:re:05",
      ]);
      expect(conversation.messages.filter((m) => m.folder === "Sent").every((m) => m.from[0]?.address === "bob@example.test")).toBe(true);
      // Each message's preview line for the collapsed stack: the server's PREVIEW, or on a server
      // without it a snippet of the text part.
      expect(conversation.messages.map((m) => m.preview)).toEqual(["a", "b", "c", "d", "e"].map((n) => `Message ${n} of the boat trip.`));

      // Opened from its row, with the row's members: the same stack (and no THREAD of the folder).
      const fromRow = await app.get("INBOX", uidValidity, row.uid, row.conversation?.uids);
      expect(fromRow.messages.map((m) => `${m.folder}:${m.date.slice(8, 10)}`)).toEqual(conversation.messages.map((m) => `${m.folder}:${m.date.slice(8, 10)}`));
      if (threads) {
        // Where the server threads, the members given are the thread: a row that named only e
        // (as a stale row might) opens as e and its replies in Sent, which proves THREAD was not
        // asked again (it would bring a and c back).
        const partial = await app.get("INBOX", uidValidity, inboxUids.e!, [inboxUids.e!]);
        expect(partial.messages.map((m) => `${m.folder}:${m.date.slice(8, 10)}`)).toEqual(["Sent:02", "Sent:04", "INBOX:05"]);
        // A message that is gone is not found, whatever members are named beside it.
        await expect(app.get("INBOX", uidValidity, 4_000_000_000, [inboxUids.e!])).rejects.toMatchObject({ code: "MESSAGE_NOT_FOUND" });
      }
    });

    it("pages by conversation, newest first, without gaps or repeats", async () => {
      const whole = await app.list(FOLDER);
      // Newest message of each: Trio day 8, Single s3 day 7, Pair day 6, s2 day 5, s1 day 4.
      const expected = ["Trio", "Single s3", "Pair", "Single s2", "Single s1"];
      if (threads) {
        expect(whole.total).toBe(5);
        expect(subjects(whole)).toEqual(expected);
        const paged: string[] = [];
        for (let page = 0; page < 3; page++) paged.push(...subjects(await app.list(FOLDER, page, 2)));
        expect(paged).toEqual(expected);
        expect((await app.list(FOLDER, 0, 50, "asc")).messages.map((m) => m.subject.replace(` ${run}`, ""))).toEqual([...expected].reverse());
      } else {
        // Without THREAD a page groups its own messages: the whole folder on one page is exact.
        expect(whole.total).toBe(8);
        expect(subjects(whole)).toEqual(expected);
      }
      const trio = whole.messages[0]!;
      expect(trio.conversation?.uids).toHaveLength(3);
      // Stable: the same id on the next call.
      expect((await app.list(FOLDER)).messages[0]!.conversation?.id).toBe(trio.conversation?.id);
    });
  });
}
