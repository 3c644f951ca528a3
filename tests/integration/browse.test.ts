import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImapFlow } from "imapflow";
import { listFolders } from "@/lib/mail/imap/list-folders";
import { listMessages } from "@/lib/mail/imap/list-messages";
import { closeAccountConnections, connectionCount } from "@/lib/mail/imap/pool";
import { accountFor, rawClient, requireStackEnv, users } from "./support";

requireStackEnv();
const account = accountFor(users.alice);
let raw: ImapFlow;

beforeAll(async () => {
  raw = await rawClient(users.alice);
});
afterAll(async () => {
  await raw.logout();
  await closeAccountConnections(account.key);
});

describe("listFolders", () => {
  it("lists special-use folders first, then the rest as a tree, with the server's counts", async () => {
    const folders = await listFolders(account);
    expect(folders.slice(0, 6).map((f) => f.role)).toEqual(["inbox", "drafts", "sent", "archive", "junk", "trash"]);
    const inbox = folders[0]!;
    const status = await raw.status("INBOX", { messages: true, unseen: true });
    expect(inbox.total).toBe(status && status.messages);
    expect(inbox.unread).toBe(status && status.unseen);

    const nested = folders.find((f) => f.name === "Letterbox");
    expect(nested?.parentPath).toBe("Projects");
    // A child comes right after its parent's subtree starts.
    const parentIndex = folders.findIndex((f) => f.path === "Projects");
    expect(folders.indexOf(nested!)).toBeGreaterThan(parentIndex);

    const koeln = folders.find((f) => f.name === "Köln");
    expect(koeln, "non-ASCII folder decoded from modified UTF-7").toBeDefined();
  });
});

describe("listMessages", () => {
  it("pages newest first, header-first, and the pages tile the folder without gaps or repeats", async () => {
    const first = await listMessages(account, { folder: "INBOX", page: 0, pageSize: 50 });
    expect(first.total).toBeGreaterThan(100);
    expect(first.messages).toHaveLength(50);
    const uids = first.messages.map((m) => m.uid);
    expect([...uids].sort((a, b) => b - a)).toEqual(uids);

    const seen = new Set<number>();
    const pages = Math.ceil(first.total / 50);
    for (let page = 0; page < pages; page++) {
      const result = await listMessages(account, { folder: "INBOX", page, pageSize: 50 });
      expect(result.uidValidity).toBe(first.uidValidity);
      for (const m of result.messages) {
        expect(seen.has(m.uid)).toBe(false);
        seen.add(m.uid);
      }
    }
    expect(seen.size).toBe(first.total);

    const past = await listMessages(account, { folder: "INBOX", page: pages + 5, pageSize: 50 });
    expect(past.messages).toEqual([]);
  });

  it("marks attachments from the body structure, without fetching bodies", async () => {
    const all = [];
    for (let page = 0; page < 10; page++) {
      const r = await listMessages(account, { folder: "INBOX", page, pageSize: 50 });
      all.push(...r.messages);
      if (r.messages.length < 50) break;
    }
    const report = all.find((m) => m.subject === "Quarterly report");
    expect(report?.hasAttachments).toBe(true);
    const welcome = all.find((m) => m.subject === "Welcome to Letterbox");
    expect(welcome?.hasAttachments).toBe(false);
  });

  it("reuses its connections for sequential requests", async () => {
    // A session of its own: what the other tests left open does not count here.
    const session = accountFor(users.alice);
    const round = async () => {
      await listMessages(session, { folder: "INBOX", page: 0, pageSize: 10 });
      await listFolders(session);
      await listMessages(session, { folder: "Sent", page: 0, pageSize: 10 });
    };
    try {
      await round();
      // At most two: a folder's STATUS is asked on a connection that has not that folder selected,
      // so one where its messages were read keeps it (lib/mail/imap/pool.ts, Affinity).
      const opened = connectionCount(session.key);
      expect(opened).toBeGreaterThanOrEqual(1);
      expect(opened).toBeLessThanOrEqual(2);
      await round();
      await round();
      expect(connectionCount(session.key)).toBeLessThanOrEqual(2);
    } finally {
      await closeAccountConnections(session.key);
    }
  });

  it("refuses a folder that does not exist with a clear error", async () => {
    await expect(listMessages(account, { folder: "No such folder", page: 0, pageSize: 10 })).rejects.toMatchObject({
      code: "FOLDER_NOT_FOUND",
    });
  });
});
