import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ImapFlow } from "imapflow";
import type { MessageSortKey, MessageSummary, SortOrder } from "@/lib/mail/types";
import { accountFor, rawClient, requireStackEnv, users } from "./support";

// bob's mailbox, in a folder of this run's own: what the list's order means is known exactly.
requireStackEnv();
const run = randomBytes(3).toString("hex");
const FOLDER = `Sorting ${run}`;
let raw: ImapFlow;

interface Sample {
  name: string;
  subject: string;
  fromName: string;
  fromAddress: string;
  date: string;
  padding: number;
}

// Appended in this order (arrival); dates, senders, subjects and sizes each order them differently.
// Senders' names and mailboxes sort in opposite orders: DISPLAYFROM (RFC 5957) and FROM differ.
const samples: Sample[] = [
  { name: "march", subject: "Re: Bananas", fromName: "Charlie Clark", fromAddress: "adam@example.org", date: "Sun, 1 Mar 2026 10:00:00 +0000", padding: 0 },
  { name: "january", subject: "Cherries", fromName: "Alpha Adams", fromAddress: "zed@example.org", date: "Thu, 1 Jan 2026 10:00:00 +0000", padding: 6000 },
  { name: "february", subject: "Apples", fromName: "Bravo Brown", fromAddress: "mike@example.org", date: "Sun, 1 Feb 2026 10:00:00 +0000", padding: 2000 },
  { name: "april", subject: "Dates", fromName: "Delta Dunn", fromAddress: "kim@example.org", date: "Wed, 1 Apr 2026 10:00:00 +0000", padding: 1000 },
];

function source(s: Sample): string {
  const body = `Body of ${s.name}. ${"x".repeat(s.padding)}`;
  return [
    `From: ${s.fromName} <${s.fromAddress}>`,
    "To: bob@example.test",
    `Subject: ${s.subject}`,
    `Date: ${s.date}`,
    `Message-ID: <${s.name}.${run}@example.org>`,
    "",
    body,
    "",
  ].join("\r\n");
}

const names = (messages: MessageSummary[]) => messages.map((m) => m.subject.replace(/^Re: /, ""));
const bySubject: Record<string, string> = { Bananas: "march", Cherries: "january", Apples: "february", Dates: "april" };
const order = (messages: MessageSummary[]) => names(messages).map((s) => bySubject[s]);

beforeAll(async () => {
  raw = await rawClient(users.bob);
  await raw.mailboxCreate(FOLDER);
  for (const s of samples) await raw.append(FOLDER, source(s));
  // Archive and undo: "march" goes away and comes back with a new, highest UID, as after Undo.
  const lock = await raw.getMailboxLock(FOLDER);
  try {
    const [uid] = (await raw.search({ header: { "message-id": `march.${run}` } }, { uid: true })) || [];
    await raw.messageMove(String(uid), "Archive", { uid: true });
  } finally {
    lock.release();
  }
  const back = await raw.getMailboxLock("Archive");
  try {
    const [uid] = (await raw.search({ header: { "message-id": `march.${run}` } }, { uid: true })) || [];
    await raw.messageMove(String(uid), FOLDER, { uid: true });
  } finally {
    back.release();
  }
});
afterAll(async () => {
  await raw.mailboxDelete(FOLDER).catch(() => undefined);
  await raw.logout();
});

/** The list functions as the app runs them against the server at `url` (a module graph of its own). */
async function appAgainst(url: string | undefined) {
  if (!url) throw new Error("MAIL_IMAP_BASIC_URL/MAIL_IMAP_SORT_URL missing: start the stack with MAIL_TEST_MODE=1");
  process.env.MAIL_IMAP_URL = url;
  vi.resetModules();
  const { listMessages } = await import("@/lib/mail/imap/list-messages");
  const { listMessageUids } = await import("@/lib/mail/imap/list-message-uids");
  const { closeAccountConnections } = await import("@/lib/mail/imap/pool");
  const account = accountFor(users.bob);
  return {
    list: (sort: MessageSortKey, sortOrder: SortOrder, page = 0, pageSize = 50) =>
      listMessages(account, { folder: FOLDER, page, pageSize, sort, order: sortOrder }),
    uids: (sort: MessageSortKey, sortOrder: SortOrder) => listMessageUids(account, FOLDER, { sort, order: sortOrder }),
    close: () => closeAccountConnections(account.key),
  };
}

describe("listMessages on a server with SORT and ESORT (the project's Dovecot)", () => {
  const url = process.env.MAIL_IMAP_URL;
  let app: Awaited<ReturnType<typeof appAgainst>>;
  beforeAll(async () => {
    app = await appAgainst(url);
  });
  afterAll(async () => {
    await app.close();
    process.env.MAIL_IMAP_URL = url;
  });

  it("lists by date, newest first, by default: a message moved back after undo keeps its date's place", async () => {
    const page = await app.list("date", "desc");
    expect(page).toMatchObject({ sort: "date", order: "desc", total: 4 });
    expect(order(page.messages)).toEqual(["april", "march", "february", "january"]);
    // Arrival order puts the message that came back on top: what the list did before SORT.
    const arrival = await app.list("arrival", "desc");
    expect(arrival.sort).toBe("arrival");
    expect(order(arrival.messages)).toEqual(["march", "april", "february", "january"]);
  });

  it("sorts by each key, both ways", async () => {
    const expected: Record<Exclude<MessageSortKey, "date">, string[]> = {
      arrival: ["january", "february", "april", "march"],
      // By the name people see (SORT=DISPLAY), not by the address.
      from: ["january", "february", "march", "april"],
      // Base subject (RFC 5256 §2.1): "Re: Bananas" sorts as "Bananas".
      subject: ["february", "march", "january", "april"],
      size: ["march", "april", "february", "january"],
    };
    for (const [key, ascending] of Object.entries(expected) as [MessageSortKey, string[]][]) {
      const asc = await app.list(key, "asc");
      expect({ key, sort: asc.sort, order: order(asc.messages) }).toEqual({ key, sort: key, order: ascending });
      const desc = await app.list(key, "desc");
      expect({ key, order: order(desc.messages) }).toEqual({ key, order: [...ascending].reverse() });
    }
  });

  it("pages tile the sorted list without gaps or repeats, and a page past the end is empty", async () => {
    for (const sortOrder of ["desc", "asc"] as const) {
      const whole = order((await app.list("date", sortOrder)).messages);
      const paged: (string | undefined)[] = [];
      for (let page = 0; page < 2; page++) paged.push(...order((await app.list("date", sortOrder, page, 3)).messages));
      expect(paged).toEqual(whole);
      expect((await app.list("date", sortOrder, 4, 1)).messages).toEqual([]);
    }
  });

  it("gives select-all the list's own order", async () => {
    const page = await app.list("date", "desc");
    expect((await app.uids("date", "desc")).uids).toEqual(page.messages.map((m) => m.uid));
    const bySize = await app.list("size", "asc");
    expect((await app.uids("size", "asc")).uids).toEqual(bySize.messages.map((m) => m.uid));
  });

  it("carries the server's PREVIEW line (RFC 8970) with each row", async () => {
    const page = await app.list("date", "desc");
    expect(page.messages.find((m) => m.subject === "Apples")?.preview).toMatch(/^Body of february\. x+/);
  });
});

describe("listMessages on a server without SORT", () => {
  let app: Awaited<ReturnType<typeof appAgainst>>;
  const url = process.env.MAIL_IMAP_URL;
  beforeAll(async () => {
    app = await appAgainst(process.env.MAIL_IMAP_BASIC_URL);
  });
  afterAll(async () => {
    await app.close();
    process.env.MAIL_IMAP_URL = url;
  });

  it("falls back to arrival order and says so, both ways, and offers no preview", async () => {
    const page = await app.list("date", "desc");
    expect(page).toMatchObject({ sort: "arrival", order: "desc" });
    expect(order(page.messages)).toEqual(["march", "april", "february", "january"]);
    expect(page.messages.every((m) => m.preview === null)).toBe(true);
    const asc = await app.list("subject", "asc");
    expect(asc).toMatchObject({ sort: "arrival", order: "asc" });
    expect(order(asc.messages)).toEqual(["january", "february", "april", "march"]);
    expect((await app.uids("date", "desc")).uids).toEqual(page.messages.map((m) => m.uid));
  });
});

describe("listMessages on a server with SORT but not ESORT or SORT=DISPLAY", () => {
  let app: Awaited<ReturnType<typeof appAgainst>>;
  const url = process.env.MAIL_IMAP_URL;
  beforeAll(async () => {
    app = await appAgainst(process.env.MAIL_IMAP_SORT_URL);
  });
  afterAll(async () => {
    await app.close();
    process.env.MAIL_IMAP_URL = url;
  });

  it("reads the plain SORT answer, sorts senders by address, and takes the older SNIPPET as the preview", async () => {
    const page = await app.list("date", "desc");
    expect(page.sort).toBe("date");
    expect(order(page.messages)).toEqual(["april", "march", "february", "january"]);
    expect(order((await app.list("date", "desc", 1, 2)).messages)).toEqual(["february", "january"]);
    // FROM (RFC 5256) compares the mailbox: adam, kim, mike, zed.
    expect(order((await app.list("from", "asc")).messages)).toEqual(["march", "april", "february", "january"]);
    expect(page.messages.find((m) => m.subject === "Dates")?.preview).toMatch(/^Body of april\./);
  });
});
