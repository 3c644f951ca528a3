import { describe, expect, it } from "vitest";
import type { MessageSummary } from "@/lib/mail/types";
import { listEntries, loadedUids } from "./list-entries";

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

describe("listEntries", () => {
  it("places loaded pages and placeholders for the rest, the last page short", () => {
    const entries = listEntries(5, 2, new Map([[0, [row(5), row(4)]]]));
    expect(entries.map((e) => (e.kind === "row" ? e.row.uid : `p${e.page}`))).toEqual([5, 4, "p1", "p1", "p2"]);
  });

  it("shows a message once when two pages hold it for a moment (one refetched before the other)", () => {
    const pages = new Map([
      [0, [row(5), row(3)]],
      [1, [row(3), row(2)]],
    ]);
    const entries = listEntries(4, 2, pages);
    expect(loadedUids(entries)).toEqual([5, 3, 2]);
  });
});
