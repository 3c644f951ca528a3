import { describe, expect, it } from "vitest";
import type { MessageSummary } from "@/lib/mail/types";
import { type ListEntries, listEntries } from "./list-entries";

const row = (uid: number): MessageSummary => ({
  uid,
  flags: { seen: true, flagged: false, answered: false, draft: false },
  from: [],
  to: [],
  subject: `m${uid}`,
  date: new Date(0).toISOString(),
  size: 1,
  hasAttachments: false,
  preview: null,
});

const spelled = (entries: ListEntries) => entries.slice(0, entries.length).map((e) => (e.kind === "row" ? e.row.uid : `p${e.page}`));

describe("listEntries", () => {
  it("places loaded pages and placeholders for the rest, the last page short", () => {
    const entries = listEntries(5, 2, new Map([[0, [row(5), row(4)]]]));
    expect(entries.length).toBe(5);
    expect(spelled(entries)).toEqual([5, 4, "p1", "p1", "p2"]);
    expect(entries.at(5)).toBeUndefined();
    expect(entries.at(-1)).toBeUndefined();
  });

  it("shows a message once when two pages hold it for a moment (one refetched before the other)", () => {
    const pages = new Map([
      [0, [row(5), row(3)]],
      [1, [row(3), row(2)]],
    ]);
    const entries = listEntries(4, 2, pages);
    expect(entries.rows.map((r) => r.uid)).toEqual([5, 3, 2]);
    expect(spelled(entries)).toEqual([5, 3, 2]);
    expect(entries.indexOfUid(2)).toBe(2);
  });

  it("keeps placeholders of the right page between and after loaded pages far down the list", () => {
    // Pages 0 and 3 of 4 loaded (page size 3, 11 messages: the last page holds 2).
    const pages = new Map([
      [3, [row(2), row(1)]],
      [0, [row(11), row(10), row(9)]],
    ]);
    const entries = listEntries(11, 3, pages);
    expect(spelled(entries)).toEqual([11, 10, 9, "p1", "p1", "p1", "p2", "p2", "p2", 2, 1]);
    expect(entries.indexOfUid(1)).toBe(10);
    expect(entries.rowOf(9)?.subject).toBe("m9");
    expect(entries.indexOfUid(99)).toBe(-1);
  });

  it("costs the pages loaded, not the folder's size: 100,000 messages with one page", () => {
    const entries = listEntries(100_000, 50, new Map([[0, Array.from({ length: 50 }, (_, i) => row(100_000 - i))]]));
    expect(entries.length).toBe(100_000);
    expect(entries.at(99_999)).toEqual({ kind: "pending", page: 1999 });
    expect(entries.at(50)).toEqual({ kind: "pending", page: 1 });
    expect(entries.at(49)).toEqual({ kind: "row", row: expect.objectContaining({ uid: 99_951 }) });
    // Nothing of the size is spelled out: the entries are two runs.
    expect((entries as unknown as { runs: unknown[] }).runs).toHaveLength(2);
  });

  it("ignores pages past the end after the folder shrank", () => {
    const entries = listEntries(2, 2, new Map([[0, [row(2), row(1)]], [1, [row(0)]]]));
    expect(spelled(entries)).toEqual([2, 1]);
  });
});
