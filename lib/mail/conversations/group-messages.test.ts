import { describe, expect, it } from "vitest";
import type { MessageSummary } from "@/lib/mail/types";
import { baseSubject, conversationRow, groupByHeaders, messageIds, rootMessageId } from "./group-messages";

const h = (key: string, messageId: string | null, inReplyTo: string | null = null, references: string[] = []) => ({ key, messageId, inReplyTo, references });

describe("groupByHeaders", () => {
  it("links replies by In-Reply-To and References, also when the parent is missing", () => {
    const groups = groupByHeaders([
      h("1", "<a@x>"),
      h("2", "<s@x>"),
      h("3", "<c@x>", "<b@x>", ["<a@x>", "<b@x>"]),
      // Its parent <b@x> is not in the set (it is in Sent): the shared root still links it.
      h("4", "<d@x>", "<c@x>", ["<A@X>"]),
      h("5", null),
    ]);
    expect(groups).toEqual([["1", "3", "4"], ["2"], ["5"]]);
  });

  it("does not merge by subject", () => {
    expect(groupByHeaders([h("1", "<a@x>"), h("2", "<b@x>")])).toHaveLength(2);
  });
});

describe("threading helpers", () => {
  it("reads Message-IDs from a header value and finds the root", () => {
    expect(messageIds(" <a@x>\r\n <b@y> junk")).toEqual(["<a@x>", "<b@y>"]);
    expect(rootMessageId([h("1", "<c@x>", "<b@x>", ["<A@x>", "<b@x>"])])).toBe("<a@x>");
    expect(rootMessageId([h("1", "<Solo@x>")])).toBe("<solo@x>");
    expect(baseSubject("Re: AW: Fwd: Lunch")).toBe("Lunch");
  });
});

describe("conversationRow", () => {
  const m = (uid: number, day: number, from: string, seen: boolean, flagged = false): MessageSummary => ({
    uid,
    flags: { seen, flagged, answered: false, draft: false },
    from: [{ name: from, address: `${from.toLowerCase()}@x` }],
    to: [],
    subject: day === 1 ? "Lunch" : "Re: Lunch",
    date: `2026-11-0${day}T09:00:00.000Z`,
    size: 1,
    hasAttachments: day === 2,
    preview: `p${uid}`,
  });

  it("is the newest message with the conversation's subject, unread if any is, flagged if any is", () => {
    const row = conversationRow("id1", [m(9, 2, "Bo", true, true), m(3, 1, "Al", true), m(12, 3, "Al", false)]);
    expect(row).toMatchObject({ uid: 12, subject: "Lunch", preview: "p12", hasAttachments: true, flags: { seen: false, flagged: true } });
    expect(row.conversation).toEqual({
      id: "id1",
      uids: [12, 9, 3],
      unreadUids: [12],
      participants: [{ name: "Al", address: "al@x" }, { name: "Bo", address: "bo@x" }],
    });
  });
});
