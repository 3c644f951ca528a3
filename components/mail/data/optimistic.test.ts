import { describe, expect, it } from "vitest";
import type { Folder, MessagePage, MessageSummary } from "@/lib/mail/types";
import { testPage, testRowSeen } from "./test-rows";
import { knownAmong, leavingRows, unreadAmong, withFlags, withFlagsOf, withoutMessages, withoutMessagesOf, withUnreadDelta } from "./optimistic";

const row = (uid: number, seen = true) => testRowSeen(uid, seen);
const page = (uids: number[], total = 100) => testPage("INBOX", "1", uids.map((u) => row(u, u % 2 === 0)), { total });

describe("optimistic list changes", () => {
  it("removes the messages and shrinks the total by what left the source", () => {
    const next = withoutMessages(page([5, 4, 3]), new Set([4, 99]), 2);
    expect(next.messages.map((m) => m.uid)).toEqual([5, 3]);
    expect(next.total).toBe(98);
  });

  it("changes flags only on the named messages and keeps an untouched page as it was", () => {
    const p = page([5, 4]);
    const next = withFlags(p, new Set([5]), { flagged: true });
    expect(next.messages.find((m) => m.uid === 5)?.flags.flagged).toBe(true);
    expect(next.messages.find((m) => m.uid === 4)?.flags.flagged).toBe(false);
    expect(withFlags(p, new Set([7]), { flagged: true })).toBe(p);
  });

  it("counts each unread message once across pages", () => {
    expect(unreadAmong([page([5, 4, 3]), page([3, 1]), undefined], new Set([5, 3, 4]))).toBe(2);
  });

  it("moves a folder's unread count, never below zero", () => {
    const folders = [{ path: "INBOX", unread: 1 }, { path: "Sent", unread: 0 }] as Folder[];
    expect(withUnreadDelta(folders, "INBOX", -3)[0]?.unread).toBe(0);
    expect(withUnreadDelta(folders, "INBOX", 0)).toBe(folders);
  });
});

describe("in:anywhere pages (rows of several folders)", () => {
  const mixed: MessagePage = {
    ...page([]),
    folder: "",
    uidValidity: "",
    total: 10,
    messages: [
      { ...row(5), folder: "INBOX", uidValidity: "1" },
      { ...row(5), folder: "Archive", uidValidity: "7" },
      { ...row(6), folder: "INBOX", uidValidity: "1" },
    ],
  };

  it("removes only the given folder's messages, even where UIDs collide", () => {
    const next = withoutMessagesOf(mixed, "INBOX", new Set([5]));
    expect(next.messages.map((m) => `${m.folder}:${m.uid}`)).toEqual(["Archive:5", "INBOX:6"]);
    expect(next.total).toBe(9);
    expect(withoutMessagesOf(mixed, "Sent", new Set([5]))).toBe(mixed);
  });

  it("changes flags on the given folder's messages only", () => {
    const next = withFlagsOf(mixed, "Archive", new Set([5]), { flagged: true });
    expect(next.messages.map((m) => m.flags.flagged)).toEqual([false, true, false]);
  });
});

describe("optimistic changes to conversation rows", () => {
  const conv = (uid: number, uids: number[], unreadUids: number[]): MessageSummary => ({
    ...row(uid, unreadUids.length === 0),
    conversation: { id: `c${uid}`, uids, unreadUids, participants: [] },
  });
  const convPage = (rows: MessageSummary[], total = 10): MessagePage => ({ ...page([], total), messages: rows, conversations: true });

  it("removes a conversation when its messages leave, counting conversations in the total", () => {
    const p = convPage([conv(9, [9, 7, 3], [7]), conv(8, [8], [])]);
    const uids = new Set([9, 7, 3]);
    expect(leavingRows([p], uids)).toBe(1);
    const next = withoutMessages(p, uids, 3, 1);
    expect(next.messages.map((m) => m.uid)).toEqual([8]);
    expect(next.total).toBe(9);
    // One member leaving (not the newest) leaves the row with the others.
    const partial = withoutMessages(p, new Set([7]), 1, 0);
    expect(partial.messages[0]).toMatchObject({ uid: 9, flags: { seen: true }, conversation: { uids: [9, 3], unreadUids: [] } });
  });

  it("marks a conversation read or unread through its members, and counts its unread ones", () => {
    const p = convPage([conv(9, [9, 7, 3], [9, 7])]);
    expect(knownAmong([p, page([7])], new Set([9, 7, 3]))).toEqual({ known: 3, unread: 2 });
    const read = withFlags(p, new Set([9, 7, 3]), { seen: true });
    expect(read.messages[0]).toMatchObject({ flags: { seen: true }, conversation: { unreadUids: [] } });
    const unread = withFlags(read, new Set([9, 7, 3]), { seen: false });
    expect(unread.messages[0]?.conversation?.unreadUids.sort()).toEqual([3, 7, 9]);
    expect(withFlags(p, new Set([3]), { flagged: true }).messages[0]?.flags.flagged).toBe(true);
  });
});
