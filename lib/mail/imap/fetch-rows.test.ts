import { describe, expect, it } from "vitest";
import type { FetchMessageObject, ImapFlow } from "imapflow";
import { fetchRows } from "./fetch-rows";

/** A client whose FETCH answers with `rows`, in that order, as imapflow's fetch() hands them out. */
function answering(rows: Partial<FetchMessageObject>[]): ImapFlow {
  return {
    async *fetch() {
      for (const row of rows) yield row as FetchMessageObject;
    },
  } as unknown as ImapFlow;
}

const envelope = { subject: "Lunch", from: [{ name: "Mallory", address: "m@example.org" }] };

describe("fetchRows", () => {
  it("drops a flags-only update about another message that arrived during the FETCH", async () => {
    const rows = await fetchRows(
      answering([
        { seq: 3, uid: 28, flags: new Set(["\\Seen"]) },
        { seq: 5, uid: 30, flags: new Set(), envelope, size: 10 },
      ]),
      "30",
      { uid: true, flags: true, envelope: true, size: true },
      { uid: true },
    );
    expect(rows.map((r) => r.uid)).toEqual([30]);
  });

  it("merges an update about an asked message into its answer, the later flags winning", async () => {
    const rows = await fetchRows(
      answering([
        { seq: 3, uid: 28, flags: new Set(), envelope, size: 10 },
        { seq: 3, uid: 28, flags: new Set(["\\Seen"]) },
      ]),
      "28",
      { uid: true, flags: true, envelope: true, size: true },
      { uid: true },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.envelope).toBe(envelope);
    expect([...rows[0]!.flags!]).toEqual(["\\Seen"]);
  });

  it("joins one message's answer split over two responses", async () => {
    const rows = await fetchRows(
      answering([
        { seq: 1, uid: 7, size: 10 },
        { seq: 1, uid: 7, envelope },
      ]),
      "7",
      { uid: true, envelope: true, size: true },
      { uid: true },
    );
    expect(rows).toEqual([{ seq: 1, uid: 7, size: 10, envelope }]);
  });

  it("keeps the newer row when a sequence number comes to name another UID", async () => {
    const rows = await fetchRows(
      answering([
        { seq: 1, uid: 7, flags: new Set() },
        { seq: 1, uid: 8, flags: new Set(["\\Flagged"]) },
      ]),
      "1:*",
      { uid: true, flags: true },
      { uid: true },
    );
    expect(rows.map((r) => r.uid)).toEqual([8]);
  });

  it("keeps flags-only rows when flags are all that was asked", async () => {
    const rows = await fetchRows(answering([{ seq: 1, uid: 7, flags: new Set() }, { seq: 2, uid: 9, flags: new Set() }]), "1:*", { uid: true, flags: true }, { uid: true });
    expect(rows.map((r) => r.uid)).toEqual([7, 9]);
  });
});
