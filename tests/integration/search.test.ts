import { randomBytes } from "node:crypto";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError, isAppError } from "@/lib/errors";
import type { SearchPage } from "@/lib/mail/types";
import { accountFor, rawClient, requireStackEnv, users } from "./support";

// Search (issue 11) against the project's Dovecot: bob's folder of this run's own holds messages
// whose answers to every operator are known; a nested folder holds one more for in:anywhere.
requireStackEnv();
const run = randomBytes(3).toString("hex");
const FOLDER = `Search ${run}`;
const NESTED = `${FOLDER}/Deep ${run}`;
const PWNED = `pwned-${run}`;
let raw: ImapFlow;

interface Sample {
  name: string;
  from: string;
  to: string;
  cc?: string;
  subject: string;
  date: string;
  body: string;
  attachment?: boolean;
  padding?: number;
  flags: string[];
}

const samples: Sample[] = [
  {
    name: "alpha",
    from: "Alice Adams <alice.a@example.org>",
    to: "bob@example.test",
    cc: "carol.cc@example.org",
    subject: "Budget review",
    date: "Wed, 10 Jan 2024 09:00:00 +0000",
    body: "The budget spreadsheet is attached.",
    attachment: true,
    flags: ["\\Seen"],
  },
  {
    name: "beta",
    from: "Bruno Berg <bruno@example.org>",
    to: "dana@example.org",
    subject: "Grüße aus Köln",
    date: "Thu, 15 Feb 2024 09:00:00 +0000",
    body: "Die Zwiebelsuppe war köstlich.",
    flags: ["\\Flagged"],
  },
  {
    name: "gamma",
    from: "Alice Adams <alice.a@example.org>",
    to: "bob@example.test",
    subject: "Weekly report",
    date: "Wed, 20 Mar 2024 09:00:00 +0000",
    body: "The quarterly numbers inside, and a pumpkin.",
    padding: 30_000,
    flags: ["\\Seen"],
  },
  {
    name: "delta",
    from: "Carol Clark <carol.c@example.org>",
    to: "bob@example.test",
    cc: "alice.a@example.org",
    subject: 'Lunch plans a"b\\c {3}',
    date: "Fri, 05 Apr 2024 09:00:00 +0000",
    body: "See you at noon.",
    flags: [],
  },
];
const hidden: Sample = {
  name: "epsilon",
  from: "Zoe Zed <zoe@example.org>",
  to: "bob@example.test",
  subject: `Hidden treasure ${run}`,
  date: "Wed, 01 May 2024 09:00:00 +0000",
  body: `Marmalade xylophone${run}.`,
  flags: [],
};

function source(s: Sample): string {
  const headers = [`From: ${s.from}`, `To: ${s.to}`, ...(s.cc ? [`Cc: ${s.cc}`] : []), `Subject: =?UTF-8?B?${Buffer.from(s.subject).toString("base64")}?=`, `Date: ${s.date}`, `Message-ID: <${s.name}.${run}@example.org>`, "MIME-Version: 1.0"];
  const text = `${s.body}\r\n${"Filler line of text.\r\n".repeat(Math.ceil((s.padding ?? 0) / 22))}`;
  if (!s.attachment) return [...headers, "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", text].join("\r\n");
  return [
    ...headers,
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    text,
    "--b1",
    'Content-Type: text/csv; name="budget.csv"',
    'Content-Disposition: attachment; filename="budget.csv"',
    "",
    "a,b\r\n1,2",
    "--b1--",
    "",
  ].join("\r\n");
}

beforeAll(async () => {
  raw = await rawClient(users.bob);
  await raw.mailboxCreate(FOLDER);
  await raw.mailboxCreate(NESTED);
  for (const s of samples) await raw.append(FOLDER, source(s), s.flags);
  await raw.append(NESTED, source(hidden), hidden.flags);
});
afterAll(async () => {
  await raw.mailboxDelete(NESTED).catch(() => undefined);
  await raw.mailboxDelete(FOLDER).catch(() => undefined);
  await raw.logout();
});

const names = (page: SearchPage) => page.messages.map((m) => [...samples, hidden].find((s) => s.subject === m.subject)?.name ?? m.subject);

/** The search use cases as the app runs them against the server at `url` (a module graph of its own). */
async function appAgainst(url: string | undefined) {
  if (!url) throw new Error("MAIL_IMAP_BASIC_URL missing: start the stack with MAIL_TEST_MODE=1");
  process.env.MAIL_IMAP_URL = url;
  vi.resetModules();
  const { searchMessages, searchMessageUids } = await import("@/lib/mail/imap/search-messages");
  const { closeAccountConnections } = await import("@/lib/mail/imap/pool");
  const account = accountFor(users.bob);
  return {
    search: (query: string, page = 0, pageSize = 50, folder = FOLDER) => searchMessages(account, { query, folder, page, pageSize }),
    uids: (query: string, folder = FOLDER) => searchMessageUids(account, { query, folder }),
    close: () => closeAccountConnections(account.key),
  };
}

async function code(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "OK";
  } catch (error) {
    return isAppError(error) ? `${error.code}: ${error.message}` : `not an AppError: ${(error as Error)?.message}`;
  }
}

// Newest first by the Date header: delta (Apr), gamma (Mar), beta (Feb), alpha (Jan).
const EXPECTED: [string, string[]][] = [
  ["budget", ["alpha"]],
  ["pumpkin", ["gamma"]],
  ['"numbers inside"', ["gamma"]],
  ["alice.a@example.org", ["delta", "gamma", "alpha"]],
  ["from:alice.a@example.org", ["gamma", "alpha"]],
  ["from:Bruno", ["beta"]],
  ["to:dana@example.org", ["beta"]],
  ["cc:carol.cc@example.org", ["alpha"]],
  ['subject:"weekly report"', ["gamma"]],
  ["has:attachment", ["alpha"]],
  ["-has:attachment", ["delta", "gamma", "beta"]],
  ["is:unread", ["delta", "beta"]],
  ["is:read", ["gamma", "alpha"]],
  ["is:flagged", ["beta"]],
  ["before:2024-02-15", ["alpha"]],
  ["after:2024-03-20", ["delta", "gamma"]],
  ["after:2024-02-01 before:2024-04-01", ["gamma", "beta"]],
  ["larger:20k", ["gamma"]],
  ["smaller:20k", ["delta", "beta", "alpha"]],
  ["-from:alice.a@example.org", ["delta", "beta"]],
  ["from:alice.a@example.org -budget", ["gamma"]],
  // Non-ASCII: a UTF-8 literal with CHARSET UTF-8, in an encoded header and an 8-bit body.
  ["köstlich", ["beta"]],
  ["subject:Grüße", ["beta"]],
  // A quote inside a phrase is text like any other.
  ['subject:"plans a\\"b"', ["delta"]],
  ["nothingmatchesthis", []],
];

describe("searchMessages on the project's Dovecot (SORT, ESORT, ESEARCH)", () => {
  const url = process.env.MAIL_IMAP_URL;
  let app: Awaited<ReturnType<typeof appAgainst>>;
  beforeAll(async () => {
    app = await appAgainst(url);
  });
  afterAll(async () => {
    await app.close();
    process.env.MAIL_IMAP_URL = url;
  });

  it.each(EXPECTED)("%s finds exactly the expected messages, newest first", async (query, expected) => {
    const page = await app.search(query);
    expect(names(page)).toEqual(expected);
    expect(page).toMatchObject({ total: expected.length, scope: "folder", folder: FOLDER, sort: "date", order: "desc" });
    // Rows say where they are, so actions go to the right folder.
    for (const m of page.messages) expect(m).toMatchObject({ folder: FOLDER, uidValidity: page.uidValidity });
  });

  it("pages tile the results, and select-all gets every result in the same order", async () => {
    const whole = names(await app.search(`in:"${FOLDER}"`));
    expect(whole).toEqual(["delta", "gamma", "beta", "alpha"]);
    const paged = [...names(await app.search(`in:"${FOLDER}"`, 0, 3)), ...names(await app.search(`in:"${FOLDER}"`, 1, 3))];
    expect(paged).toEqual(whole);
    const page = await app.search("is:unread");
    const all = await app.uids("is:unread");
    expect(all.groups).toEqual([{ folder: FOLDER, uidValidity: page.uidValidity, uids: page.messages.map((m) => m.uid) }]);
  });

  it("in: names a folder by path or last name, in any case, from whichever folder the search starts", async () => {
    expect(names(await app.search(`xylophone${run} in:"${NESTED}"`, 0, 50, "INBOX"))).toEqual(["epsilon"]);
    expect(names(await app.search(`xylophone${run} in:"deep ${run}"`, 0, 50, "INBOX"))).toEqual(["epsilon"]);
    expect(await code(app.search("x in:NoSuchFolder"))).toBe(
      "SEARCH_INVALID: There is no folder called “NoSuchFolder”. Check the name after in:, or use in:anywhere.",
    );
  });

  it("in:anywhere finds a message in a nested folder, labelled with its folder", async () => {
    const page = await app.search(`xylophone${run} in:anywhere`, 0, 50, "INBOX");
    expect(page).toMatchObject({ scope: "anywhere", total: 1, failedFolders: [] });
    expect(page.messages.map((m) => [m.subject, m.folder])).toEqual([[hidden.subject, NESTED]]);
    // Across folders, merged newest first: the nested one (May) before this folder's (Apr, Mar).
    const mixed = await app.search(`in:anywhere "${run}"`, 0, 50, "INBOX");
    expect(mixed.messages[0]?.folder).toBe(NESTED);
    const uids = await app.uids(`xylophone${run} in:anywhere`, "INBOX");
    expect(uids.groups.map((g) => [g.folder, g.uids])).toEqual([[NESTED, [page.messages[0]!.uid]]]);
  });

  it("answers an invalid operator value with a 400 that says what to write", async () => {
    const wrong = await code(app.search("before:yesterday"));
    expect(wrong).toBe("SEARCH_INVALID: “before:yesterday” is not a date: write it as YYYY-MM-DD, e.g. before:2024-03-31.");
    expect(new AppError("SEARCH_INVALID").status).toBe(400);
  });

  it("sends hostile input as data: no command hidden in a search runs, and the session still works", async () => {
    const hostile = [
      `x"\r\nA1 CREATE ${PWNED}`,
      `x" CREATE ${PWNED} "`,
      `{5}\r\n${PWNED}`,
      `{3+}\r\nA1 CREATE ${PWNED}`,
      `\\" ) (ALL ${PWNED}`,
      `nul\u0000A1 CREATE ${PWNED}`,
      `lf\nA1 CREATE ${PWNED}`,
    ];
    const lock = await raw.getMailboxLock(FOLDER);
    try {
      for (const term of [...hostile, 'a"b\\c {3}', "plans a\"b"]) {
        for (const query of [term, `subject:"${term.replace(/["\\]/g, "\\$&")}"`, `from:${term}`]) {
          const result = await code(app.search(query));
          expect(result, JSON.stringify(query)).toMatch(/^OK$|^SEARCH_INVALID/);
        }
        // The same value as data through imapflow's own search object (the floor) finds the same
        // messages: what the server received is the text, whatever the text holds. (The parser
        // turns control characters into spaces first; a term of them cannot be typed anyway.)
        if (/[\u0000-\u001f]/.test(term)) continue;
        const ours = (await app.search(`subject:"${term.replace(/["\\]/g, "\\$&")}"`)).messages.map((m) => m.uid);
        const floor = [...((await raw.search({ subject: term }, { uid: true })) || [])].sort((a, b) => b - a);
        expect(ours, JSON.stringify(term)).toEqual(floor);
      }
    } finally {
      lock.release();
    }
    const wire = (await raw.list()).map((f) => f.path);
    expect(wire.some((n) => n.includes(PWNED))).toBe(false);
    expect(names(await app.search("pumpkin"))).toEqual(["gamma"]);
  });
});

describe("searchMessages on a server without SORT (ESEARCH only)", () => {
  const url = process.env.MAIL_IMAP_URL;
  let app: Awaited<ReturnType<typeof appAgainst>>;
  beforeAll(async () => {
    app = await appAgainst(process.env.MAIL_IMAP_BASIC_URL);
  });
  afterAll(async () => {
    await app.close();
    process.env.MAIL_IMAP_URL = url;
  });

  it("finds the same messages, in arrival order", async () => {
    const page = await app.search("alice.a@example.org");
    expect(page).toMatchObject({ sort: "arrival", total: 3 });
    expect(names(page)).toEqual(["delta", "gamma", "alpha"]);
    expect(names(await app.search("köstlich"))).toEqual(["beta"]);
    expect(names(await app.search("is:unread -has:attachment"))).toEqual(["delta", "beta"]);
  });
});
