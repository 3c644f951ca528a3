import { describe, expect, it } from "vitest";
import { parseSearchQuery, SearchQueryError, searchesBodies } from "./parse-query";

const terms = (q: string) => parseSearchQuery(q).terms;

describe("parseSearchQuery", () => {
  it("reads plain words and quoted phrases as text terms", () => {
    expect(terms('budget "weekly report"  2024')).toEqual([
      { negated: false, criterion: { kind: "field", field: "text", value: "budget" } },
      { negated: false, criterion: { kind: "field", field: "text", value: "weekly report" } },
      { negated: false, criterion: { kind: "field", field: "text", value: "2024" } },
    ]);
  });

  it("reads the address and subject operators, with quoted values and any case", () => {
    expect(terms('FROM:alice@example.test to:bob cc:"Carol Jones" subject:"Q3 plan"')).toEqual([
      { negated: false, criterion: { kind: "field", field: "from", value: "alice@example.test" } },
      { negated: false, criterion: { kind: "field", field: "to", value: "bob" } },
      { negated: false, criterion: { kind: "field", field: "cc", value: "Carol Jones" } },
      { negated: false, criterion: { kind: "field", field: "subject", value: "Q3 plan" } },
    ]);
  });

  it("reads has:, is:, dates and sizes", () => {
    expect(terms("has:attachment is:unread is:read is:flagged after:2024-01-01 before:2024-02-29 larger:5M smaller:200k larger:1.5k larger:300")).toEqual([
      { negated: false, criterion: { kind: "hasAttachment" } },
      { negated: false, criterion: { kind: "state", state: "unread" } },
      { negated: false, criterion: { kind: "state", state: "read" } },
      { negated: false, criterion: { kind: "state", state: "flagged" } },
      { negated: false, criterion: { kind: "date", relation: "after", date: "2024-01-01" } },
      { negated: false, criterion: { kind: "date", relation: "before", date: "2024-02-29" } },
      { negated: false, criterion: { kind: "size", relation: "larger", bytes: 5 * 1024 * 1024 } },
      { negated: false, criterion: { kind: "size", relation: "smaller", bytes: 200 * 1024 } },
      { negated: false, criterion: { kind: "size", relation: "larger", bytes: 1536 } },
      { negated: false, criterion: { kind: "size", relation: "larger", bytes: 300 } },
    ]);
  });

  it("negates words, phrases and operators with a leading minus, but not a lone or inner one", () => {
    expect(terms('-spam -"out of office" -from:bob@example.test -is:read well-known - x')).toEqual([
      { negated: true, criterion: { kind: "field", field: "text", value: "spam" } },
      { negated: true, criterion: { kind: "field", field: "text", value: "out of office" } },
      { negated: true, criterion: { kind: "field", field: "from", value: "bob@example.test" } },
      { negated: true, criterion: { kind: "state", state: "read" } },
      { negated: false, criterion: { kind: "field", field: "text", value: "well-known" } },
      { negated: false, criterion: { kind: "field", field: "text", value: "-" } },
      { negated: false, criterion: { kind: "field", field: "text", value: "x" } },
    ]);
  });

  it("reads in: as the scope, not a term", () => {
    expect(parseSearchQuery("invoice in:Archive")).toEqual({
      terms: [{ negated: false, criterion: { kind: "field", field: "text", value: "invoice" } }],
      scope: { kind: "folder", name: "Archive" },
    });
    expect(parseSearchQuery('in:"Projects/Q3 2024"').scope).toEqual({ kind: "folder", name: "Projects/Q3 2024" });
    expect(parseSearchQuery("in:Anywhere report").scope).toEqual({ kind: "anywhere" });
    expect(parseSearchQuery("report").scope).toEqual({ kind: "current" });
  });

  it("keeps words that only look like operators as text", () => {
    expect(terms("re:meeting https://example.test 10:30").map((t) => t.criterion)).toEqual([
      { kind: "field", field: "text", value: "re:meeting" },
      { kind: "field", field: "text", value: "https://example.test" },
      { kind: "field", field: "text", value: "10:30" },
    ]);
  });

  it("keeps non-ASCII text as typed", () => {
    expect(terms("Grüße from:José subject:日本語").map((t) => t.criterion)).toEqual([
      { kind: "field", field: "text", value: "Grüße" },
      { kind: "field", field: "from", value: "José" },
      { kind: "field", field: "subject", value: "日本語" },
    ]);
  });

  it("turns control characters into separators and keeps quotes and backslashes as text", () => {
    expect(terms('a\r\nb\u0000c "x\\"y\\\\z" {5}').map((t) => t.criterion)).toEqual([
      { kind: "field", field: "text", value: "a" },
      { kind: "field", field: "text", value: "b" },
      { kind: "field", field: "text", value: "c" },
      { kind: "field", field: "text", value: 'x"y\\z' },
      { kind: "field", field: "text", value: "{5}" },
    ]);
    // An unterminated phrase runs to the end rather than failing.
    expect(terms('"half open').map((t) => t.criterion)).toEqual([{ kind: "field", field: "text", value: "half open" }]);
  });

  it.each([
    ["before:yesterday", "“before:yesterday” is not a date: write it as YYYY-MM-DD, e.g. before:2024-03-31."],
    ["after:2024-02-30", "“after:2024-02-30” is not a date"],
    ["after:24-01-01", "is not a date"],
    ["larger:big", "“larger:big” is not a size: write a number with k, M or G, e.g. larger:5M or larger:200k."],
    ["smaller:5T", "is not a size"],
    ["larger:5G", "is too large"],
    ["is:spam", "“is:spam” is not known: use is:unread, is:read or is:flagged."],
    ["has:pdf", "“has:pdf” is not known: use has:attachment."],
    ["from:", "“from:” needs a value, e.g. from:alice@example.com."],
    ["-in:Archive x", "cannot be negated"],
    ["in:Archive in:Sent x", "Use in: once"],
    ["   ", "Type something to search for."],
    ["x".repeat(501), "too long"],
    [Array.from({ length: 21 }, (_, i) => `w${i}`).join(" "), "too many terms"],
  ])("refuses %s with a message that says what to write", (query, message) => {
    expect(() => parseSearchQuery(query)).toThrow(SearchQueryError);
    expect(() => parseSearchQuery(query)).toThrow(message);
  });

  it("says which searches read bodies", () => {
    expect(searchesBodies(parseSearchQuery("invoice from:bob"))).toBe(true);
    expect(searchesBodies(parseSearchQuery("from:bob is:unread"))).toBe(false);
  });
});
