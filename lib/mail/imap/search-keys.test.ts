import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "@/lib/mail/search/parse-query";
import { imapDate, needsUtf8, searchKeys } from "./search-keys";

const keysOf = (q: string) => searchKeys(parseSearchQuery(q).terms);

describe("searchKeys", () => {
  it("maps each operator to its IMAP key, values as strings", () => {
    expect(keysOf("from:alice is:unread larger:5k -has:attachment after:2024-01-05 before:2024-12-31 tea")).toEqual([
      { type: "ATOM", value: "FROM" },
      { type: "STRING", value: "alice" },
      { type: "ATOM", value: "UNSEEN" },
      { type: "ATOM", value: "LARGER" },
      { type: "NUMBER", value: 5120 },
      { type: "ATOM", value: "NOT" },
      { type: "ATOM", value: "HEADER" },
      { type: "STRING", value: "Content-Type" },
      { type: "STRING", value: "multipart/mixed" },
      { type: "ATOM", value: "SENTSINCE" },
      { type: "ATOM", value: "5-Jan-2024" },
      { type: "ATOM", value: "SENTBEFORE" },
      { type: "ATOM", value: "31-Dec-2024" },
      { type: "ATOM", value: "TEXT" },
      { type: "STRING", value: "tea" },
    ]);
  });

  it("sends non-ASCII text as a UTF-8 literal and says CHARSET UTF-8 is needed", () => {
    const keys = keysOf("subject:Grüße");
    expect(keys[1]).toEqual({ type: "LITERAL", value: Buffer.from("Grüße", "utf8") });
    expect(needsUtf8(keys)).toBe(true);
    expect(needsUtf8(keysOf("subject:hello"))).toBe(false);
  });

  it("searches everything when only a folder was named", () => {
    expect(searchKeys(parseSearchQuery("in:Archive").terms)).toEqual([{ type: "ATOM", value: "ALL" }]);
  });

  it("writes RFC 9051 dates", () => {
    expect(imapDate("2024-02-09")).toBe("9-Feb-2024");
  });
});
