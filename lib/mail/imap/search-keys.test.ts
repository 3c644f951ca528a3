import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "@/lib/mail/search/parse-query";
import { imapDate, needsUtf8, searchPlan } from "./search-keys";

const planOf = (q: string) => searchPlan(parseSearchQuery(q).terms);

describe("searchPlan", () => {
  it("maps each operator to its IMAP key, values as strings; negated terms and attachments apart", () => {
    expect(planOf("from:alice is:unread larger:5k -has:attachment after:2024-01-05 before:2024-12-31 tea -cc:bob -is:flagged")).toEqual({
      match: [
        { type: "ATOM", value: "FROM" },
        { type: "STRING", value: "alice" },
        { type: "ATOM", value: "UNSEEN" },
        { type: "ATOM", value: "LARGER" },
        { type: "NUMBER", value: 5120 },
        { type: "ATOM", value: "SENTSINCE" },
        { type: "ATOM", value: "5-Jan-2024" },
        { type: "ATOM", value: "SENTBEFORE" },
        { type: "ATOM", value: "31-Dec-2024" },
        { type: "ATOM", value: "TEXT" },
        { type: "STRING", value: "tea" },
      ],
      exclude: [[{ type: "ATOM", value: "CC" }, { type: "STRING", value: "bob" }], [{ type: "ATOM", value: "FLAGGED" }]],
      attachment: false,
    });
  });

  it("sends non-ASCII text as a UTF-8 literal and says CHARSET UTF-8 is needed", () => {
    const { match } = planOf("subject:Grüße");
    expect(match[1]).toEqual({ type: "LITERAL", value: Buffer.from("Grüße", "utf8") });
    expect(needsUtf8(match)).toBe(true);
    expect(needsUtf8(planOf("subject:hello").match)).toBe(false);
  });

  it("searches everything when only a folder, a negation or has:attachment was given", () => {
    expect(planOf("in:Archive")).toEqual({ match: [{ type: "ATOM", value: "ALL" }], exclude: [], attachment: null });
    expect(planOf("has:attachment")).toEqual({ match: [{ type: "ATOM", value: "ALL" }], exclude: [], attachment: true });
    expect(planOf("-spam").match).toEqual([{ type: "ATOM", value: "ALL" }]);
  });

  it("matches nothing for has:attachment and -has:attachment together", () => {
    expect(planOf("has:attachment -has:attachment").exclude).toEqual([[{ type: "ATOM", value: "ALL" }]]);
  });

  it("writes RFC 9051 dates", () => {
    expect(imapDate("2024-02-09")).toBe("9-Feb-2024");
  });
});
