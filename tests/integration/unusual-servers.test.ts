import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ImapFlow } from "imapflow";
import { requireStackEnv } from "./support";

// The folder operations against servers unlike the project's default Dovecot (issue 13, "Unusual
// servers"), all served by the same stack (scripts/mail-stack/mail-stack.sh):
// - hana's personal namespace is "INBOX." with "." as delimiter (RFC 2342), as on Courier or Cyrus;
// - gina on 127.0.0.4: no SPECIAL-USE, LIST-STATUS, MOVE, UIDPLUS or CONDSTORE, and folders with
//   no special-use attributes, which the app must recognise by their common names.
requireStackEnv();
const run = randomBytes(3).toString("hex");

interface Variant {
  title: string;
  url: () => string | undefined;
  user: { login: string; password: string };
  /** The server's path of a top-level folder the user calls `name`. */
  top: (name: string) => string;
  delimiter: string;
  /** Folders the test makes first (on gina's server, the special ones under common names). */
  setup: string[];
  specials: { drafts: string; sent: string; archive: string; junk: string; trash: string };
}

const variants: Variant[] = [
  {
    title: 'personal namespace "INBOX." with "." as delimiter',
    url: () => process.env.MAIL_IMAP_URL,
    user: { login: "hana@example.test", password: "hana-password" },
    top: (name) => `INBOX.${name}`,
    delimiter: ".",
    setup: [],
    specials: { drafts: "INBOX.Drafts", sent: "INBOX.Sent", archive: "INBOX.Archive", junk: "INBOX.Junk", trash: "INBOX.Trash" },
  },
  {
    title: "no SPECIAL-USE, LIST-STATUS, MOVE, UIDPLUS or CONDSTORE",
    url: () => process.env.MAIL_IMAP_PLAIN_URL,
    user: { login: "gina@example.test", password: "gina-password" },
    top: (name) => name,
    delimiter: "/",
    setup: ["Draft", "Sent Items", "Archives", "Spam", "Deleted Items"],
    specials: { drafts: "Draft", sent: "Sent Items", archive: "Archives", junk: "Spam", trash: "Deleted Items" },
  },
];

async function rawAt(url: string, user: { login: string; password: string }): Promise<ImapFlow> {
  const parsed = new URL(url);
  const client = new ImapFlow({
    host: parsed.hostname,
    port: Number(parsed.port),
    secure: false,
    auth: { user: user.login, pass: user.password },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

function message(subject: string): string {
  return `From: Test <test@example.test>\r\nTo: someone@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${randomBytes(6).toString("hex")}@example.test>\r\n\r\nBody of ${subject}\r\n`;
}

describe.each(variants)("folders on a server with $title", (variant) => {
  const defaultUrl = process.env.MAIL_IMAP_URL;
  let raw: ImapFlow;
  let app: Awaited<ReturnType<typeof load>>;

  /** The app's folder functions against this variant's server: a module graph of their own. */
  async function load(url: string) {
    process.env.MAIL_IMAP_URL = url;
    vi.resetModules();
    const { accountFor } = await import("./support");
    return {
      account: accountFor(variant.user),
      ...(await import("@/lib/mail/imap/list-folders")),
      ...(await import("@/lib/mail/imap/create-folder")),
      ...(await import("@/lib/mail/imap/rename-folder")),
      ...(await import("@/lib/mail/imap/delete-folder")),
      ...(await import("@/lib/mail/imap/act-on-messages")),
      ...(await import("@/lib/mail/imap/pool")),
    };
  }

  async function subjectsIn(folder: string): Promise<string[]> {
    const lock = await raw.getMailboxLock(folder);
    try {
      await raw.noop();
      const out: string[] = [];
      // FETCH 1:* on an empty folder is an error; any other error fails the test.
      if (raw.mailbox && raw.mailbox.exists > 0) {
        for await (const m of raw.fetch("1:*", { envelope: true })) out.push(m.envelope?.subject ?? "");
      }
      return out.sort();
    } finally {
      lock.release();
    }
  }

  beforeAll(async () => {
    const url = variant.url();
    if (!url) throw new Error("MAIL_IMAP_PLAIN_URL missing: start the stack with MAIL_TEST_MODE=1 (npm test does)");
    raw = await rawAt(url, variant.user);
    for (const path of variant.setup) {
      await raw.mailboxCreate(path);
      await raw.mailboxSubscribe(path);
    }
    app = await load(url);
  });
  afterAll(async () => {
    for (const e of await raw.list()) {
      if (e.path.includes(run)) await raw.mailboxDelete(e.path).catch(() => undefined);
    }
    await raw.logout();
    await app.closeAccountConnections(app.account.key);
    process.env.MAIL_IMAP_URL = defaultUrl;
  });

  it("is the server it claims to be", async () => {
    if (variant.delimiter === ".") {
      expect(raw.namespace).toMatchObject({ prefix: "INBOX.", delimiter: "." });
    } else {
      for (const cap of ["SPECIAL-USE", "LIST-STATUS", "MOVE", "UIDPLUS", "CONDSTORE"]) expect(raw.capabilities.has(cap)).toBe(false);
      expect((await raw.list()).some((e) => [...e.flags].some((f) => /^\\(Drafts|Sent|Archive|Junk|Trash)$/.test(f)))).toBe(false);
    }
  });

  it("lists Inbox and the special folders first, in order, at the top level, without the prefix", async () => {
    const folders = await app.listFolders(app.account);
    const top = folders.filter((f) => f.parentPath === null);
    expect(top.slice(0, 6).map((f) => [f.role, f.path])).toEqual([
      ["inbox", "INBOX"],
      ["drafts", variant.specials.drafts],
      ["sent", variant.specials.sent],
      ["archive", variant.specials.archive],
      ["junk", variant.specials.junk],
      ["trash", variant.specials.trash],
    ]);
    // No folder's name or parent is the namespace's prefix: the user never sees "INBOX." anywhere.
    for (const f of folders) {
      expect(f.name).not.toMatch(/^INBOX\./);
      if (f.role !== "inbox") expect(f.parentPath).not.toBe("INBOX");
    }
  });

  it("creates, nests, renames and deletes folders inside the personal namespace", async () => {
    const created = await app.createFolder(app.account, { name: `Projects ${run}`, parentPath: null });
    expect(created.path).toBe(variant.top(`Projects ${run}`));
    const nested = await app.createFolder(app.account, { name: `Q1 ${run}`, parentPath: created.path });
    expect(nested.path).toBe(`${created.path}${variant.delimiter}Q1 ${run}`);
    await expect(app.createFolder(app.account, { name: `a${variant.delimiter}b`, parentPath: null })).rejects.toMatchObject({
      code: "FOLDER_NAME_HAS_DELIMITER",
    });

    let folders = await app.listFolders(app.account);
    const parent = folders.find((f) => f.path === created.path);
    expect(parent).toMatchObject({ name: `Projects ${run}`, parentPath: null, subscribed: true });
    expect(folders.find((f) => f.path === nested.path)).toMatchObject({ name: `Q1 ${run}`, parentPath: created.path });
    // After the six special folders, in tree order: the parent, then its child.
    const order = folders.map((f) => f.path);
    expect(order.indexOf(nested.path)).toBe(order.indexOf(created.path) + 1);

    const renamed = await app.renameFolder(app.account, { path: created.path, name: `Plans ${run}` });
    expect(renamed.path).toBe(variant.top(`Plans ${run}`));
    // Moved to the top level: into the namespace, not outside it.
    const moved = await app.renameFolder(app.account, { path: `${renamed.path}${variant.delimiter}Q1 ${run}`, parentPath: null });
    expect(moved.path).toBe(variant.top(`Q1 ${run}`));
    folders = await app.listFolders(app.account);
    expect(folders.find((f) => f.path === moved.path)).toMatchObject({ name: `Q1 ${run}`, parentPath: null });

    await app.deleteFolder(app.account, { path: moved.path, permanent: false });
    await app.deleteFolder(app.account, { path: renamed.path, permanent: false });
    const left = (await raw.list()).map((e) => e.path);
    expect(left).not.toContain(moved.path);
    expect(left).not.toContain(renamed.path);
  });

  it("moves, copies, archives and trashes messages", async () => {
    const box = variant.top(`Box ${run}`);
    await raw.mailboxCreate(box);
    const subjects = ["one", "two", "three"].map((s) => `${s} ${run}`);
    for (const s of subjects) await raw.append("INBOX", message(s));
    const uidsOf = async (folder: string, wanted: string[]) => {
      const lock = await raw.getMailboxLock(folder);
      try {
        const out: number[] = [];
        for (const s of wanted) out.push(...((await raw.search({ subject: s }, { uid: true })) || []));
        return out;
      } finally {
        lock.release();
      }
    };
    const status = async (folder: string) => {
      const answer = await raw.status(folder, { uidValidity: true });
      if (!answer || answer.uidValidity === undefined) throw new Error(`no STATUS for ${folder}`);
      return answer.uidValidity.toString();
    };
    const [one, two, three] = await uidsOf("INBOX", subjects);
    const inbox = { folder: "INBOX", uidValidity: await status("INBOX") };

    const copied = await app.actOnMessages(app.account, { ...inbox, uids: [one!] }, { type: "copy", destination: box });
    expect(copied.destination).toBe(box);
    expect(await subjectsIn(box)).toEqual([subjects[0]]);
    expect(await subjectsIn("INBOX")).toEqual(expect.arrayContaining([subjects[0]]));

    if (variant.delimiter === "/") {
      // Without MOVE, moving is COPY + \Deleted + EXPUNGE, and without UIDPLUS that EXPUNGE would
      // also remove a message another client marked \Deleted: refused then, nothing changed
      // (act-on-messages.ts)…
      const [marked] = await uidsOf("INBOX", [subjects[2]!]);
      const lock = await raw.getMailboxLock("INBOX");
      try {
        await raw.messageFlagsAdd(String(marked), ["\\Deleted"], { uid: true });
      } finally {
        lock.release();
      }
      await expect(app.actOnMessages(app.account, { ...inbox, uids: [two!] }, { type: "move", destination: box })).rejects.toMatchObject({
        code: "UIDPLUS_REQUIRED",
      });
      expect(await subjectsIn("INBOX")).toEqual(expect.arrayContaining([subjects[1], subjects[2]]));
      expect(await subjectsIn(box)).toEqual([subjects[0]]);
      const unlock = await raw.getMailboxLock("INBOX");
      try {
        await raw.messageFlagsRemove(String(marked), ["\\Deleted"], { uid: true });
      } finally {
        unlock.release();
      }
    }
    // …and otherwise it moves exactly the chosen message (without COPYUID: no undo to offer).
    await app.actOnMessages(app.account, { ...inbox, uids: [two!] }, { type: "move", destination: box });
    expect(await subjectsIn(box)).toEqual([subjects[0], subjects[1]].sort());
    await app.actOnMessages(app.account, { ...inbox, uids: [three!] }, { type: "archive" });
    expect(await subjectsIn(variant.specials.archive)).toContain(subjects[2]);
    const inInbox = await subjectsIn("INBOX");
    expect(inInbox).not.toContain(subjects[1]);
    expect(inInbox).not.toContain(subjects[2]);
    const [archived] = await uidsOf(variant.specials.archive, [subjects[2]!]);
    await app.actOnMessages(
      app.account,
      { folder: variant.specials.archive, uidValidity: await status(variant.specials.archive), uids: [archived!] },
      { type: "trash" },
    );
    expect(await subjectsIn(variant.specials.trash)).toContain(subjects[2]);
    // Clean up what this run put into the shared special folders.
    const [trashed] = await uidsOf(variant.specials.trash, [subjects[2]!]);
    const lock = await raw.getMailboxLock(variant.specials.trash);
    try {
      await raw.messageDelete(String(trashed), { uid: true });
    } finally {
      lock.release();
    }
  });
});
