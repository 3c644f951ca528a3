import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { Folder, MessagePage } from "@/lib/mail/types";
import { mailKeys } from "./keys";
import { applyMailEvent } from "./live-events";
import { testPage, testRowSeen } from "./test-rows";
import { DEFAULT_ORDER } from "./source";

const row = testRowSeen;
const folder = (path: string, total: number, unread: number): Folder => ({
  path,
  name: path,
  delimiter: "/",
  parentPath: null,
  role: path === "INBOX" ? "inbox" : path === "Sent" ? "sent" : null,
  total,
  unread,
  subscribed: true,
  selectable: true,
});
const pageOf = (path: string, page: number, uids: number[], total: number) =>
  testPage(path, "7", uids.map((u) => row(u, u % 2 === 0)), { total, page, pageSize: 2 });

const inbox = { kind: "folder", folder: "INBOX" } as const;
const archive = { kind: "folder", folder: "Archive" } as const;

/** A cache as the mail view leaves it: the tree, two pages of Inbox, one of Archive, an open message. */
function seeded() {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  client.setQueryData(mailKeys.folders(), [folder("INBOX", 4, 2), folder("Archive", 1, 0), folder("Sent", 3, 0)]);
  client.setQueryData(mailKeys.page(inbox, DEFAULT_ORDER, 0), pageOf("INBOX", 0, [4, 3], 4));
  client.setQueryData(mailKeys.page(inbox, DEFAULT_ORDER, 1), pageOf("INBOX", 1, [2, 1], 4));
  client.setQueryData(mailKeys.page(archive, DEFAULT_ORDER, 0), pageOf("Archive", 0, [9], 1));
  client.setQueryData(mailKeys.message("INBOX", "7", 3), { uid: 3, flags: row(3, false).flags });
  return client;
}

const invalidated = (client: QueryClient) =>
  client
    .getQueryCache()
    .getAll()
    .filter((q) => q.state.isInvalidated)
    .map((q) => JSON.stringify(q.queryKey))
    .sort();

const key = (k: readonly unknown[]) => JSON.stringify(k);
const inboxPages = [key(mailKeys.page(inbox, DEFAULT_ORDER, 0)), key(mailKeys.page(inbox, DEFAULT_ORDER, 1))];

describe("what a server event does to the cache", () => {
  it("new mail: refetches the folder tree and every page of that folder (page boundaries shift), nothing else", () => {
    const client = seeded();
    applyMailEvent(client, { type: "new-mail", folder: "INBOX", uidValidity: "7", messages: [{ uid: 5, from: null, subject: "Hi", seen: false }] });
    expect(invalidated(client)).toEqual([key(mailKeys.folders()), ...inboxPages].sort());
  });

  it("flags: patches that message's row and the open message at once, and rereads the counts", () => {
    const client = seeded();
    applyMailEvent(client, { type: "flags-changed", folder: "INBOX", uidValidity: "7", uid: 3, flags: { seen: true, flagged: true, answered: false, draft: false } });
    const page = client.getQueryData<MessagePage>(mailKeys.page(inbox, DEFAULT_ORDER, 0))!;
    expect(page.messages.find((m) => m.uid === 3)?.flags).toMatchObject({ seen: true, flagged: true });
    expect(page.messages.find((m) => m.uid === 4)?.flags.flagged).toBe(false);
    expect(client.getQueryData<{ flags: { seen: boolean } }>(mailKeys.message("INBOX", "7", 3))?.flags.seen).toBe(true);
    // 3 was unread: Inbox's count drops at once, then comes from the server.
    expect(client.getQueryData<Folder[]>(mailKeys.folders())?.find((f) => f.path === "INBOX")?.unread).toBe(1);
    expect(invalidated(client)).toEqual([key(mailKeys.folders())]);
  });

  it("expunge by UID: the row leaves at once, the total and unread count follow, the folder's pages and that open message refetch", () => {
    const client = seeded();
    client.setQueryData(mailKeys.message("INBOX", "7", 4), { uid: 4 });
    client.setQueryData(mailKeys.message("Archive", "7", 3), { uid: 3 });
    applyMailEvent(client, { type: "expunged", folder: "INBOX", uidValidity: "7", uids: [3, 77] });
    const page = client.getQueryData<MessagePage>(mailKeys.page(inbox, DEFAULT_ORDER, 0))!;
    expect(page.messages.map((m) => m.uid)).toEqual([4]);
    // Only what was shown counts: 77 was not on any page (this tab may have moved it already).
    expect(page.total).toBe(3);
    expect(client.getQueryData<Folder[]>(mailKeys.folders())?.find((f) => f.path === "INBOX")?.unread).toBe(1);
    // The open message 3 is asked again (the reader then says it is gone); 4 and Archive's 3 are not.
    expect(invalidated(client)).toEqual([key(mailKeys.folders()), ...inboxPages, key(mailKeys.message("INBOX", "7", 3))].sort());
  });

  it("expunge a second time (this tab moved them first): nothing shrinks twice", () => {
    const client = seeded();
    applyMailEvent(client, { type: "expunged", folder: "INBOX", uidValidity: "7", uids: [3] });
    applyMailEvent(client, { type: "expunged", folder: "INBOX", uidValidity: "7", uids: [3] });
    expect(client.getQueryData<MessagePage>(mailKeys.page(inbox, DEFAULT_ORDER, 0))!.total).toBe(3);
  });

  it("expunge without UIDs (no QRESYNC): rows stay until the refetch says", () => {
    const client = seeded();
    applyMailEvent(client, { type: "expunged", folder: "INBOX", uidValidity: "7", uids: null });
    expect(client.getQueryData<MessagePage>(mailKeys.page(inbox, DEFAULT_ORDER, 0))!.messages).toHaveLength(2);
    expect(invalidated(client)).toEqual([key(mailKeys.folders()), ...inboxPages, key(mailKeys.message("INBOX", "7", 3))].sort());
  });

  it("counts: sets the tree's numbers and refetches only the lists of folders that changed", () => {
    const client = seeded();
    applyMailEvent(client, { type: "counts", folders: [{ path: "Archive", total: 2, unread: 1 }] });
    const archiveFolder = client.getQueryData<Folder[]>(mailKeys.folders())?.find((f) => f.path === "Archive");
    expect(archiveFolder).toMatchObject({ total: 2, unread: 1 });
    expect(invalidated(client)).toEqual([key(mailKeys.page(archive, DEFAULT_ORDER, 0))]);
  });

  it("a message sent: the Sent folder's lists and the counts", () => {
    const client = seeded();
    const sent = { kind: "folder", folder: "Sent" } as const;
    client.setQueryData(mailKeys.page(sent, DEFAULT_ORDER, 0), pageOf("Sent", 0, [1], 3));
    applyMailEvent(client, { type: "message-sent", messageId: "<a@b>" });
    expect(invalidated(client)).toEqual([key(mailKeys.folders()), key(mailKeys.page(sent, DEFAULT_ORDER, 0))].sort());
  });

  it("resync: the counts and every list", () => {
    const client = seeded();
    applyMailEvent(client, { type: "resync" });
    expect(invalidated(client)).toHaveLength(4);
    expect(invalidated(client)).not.toContain(key(mailKeys.message("INBOX", "7", 3)));
  });
});
