import { describe, expect, it } from "vitest";
import { formatAddress, isValidMailbox, parseRecipients, splitRecipients } from "./addresses";

describe("splitRecipients", () => {
  it("splits at commas and semicolons but not inside quoted names or angle brackets", () => {
    expect(splitRecipients('"Doe, Jane" <jane@example.org>; bob@example.org, Carol <c@example.org>')).toEqual([
      '"Doe, Jane" <jane@example.org>',
      "bob@example.org",
      "Carol <c@example.org>",
    ]);
  });
});

describe("parseRecipients", () => {
  it("parses names, bare addresses and UTF-8, and marks invalid tokens", () => {
    const parsed = parseRecipients('Jörg Müller <joerg@example.org>, bob@example.org; not an address, x@y, "a"@');
    expect(parsed.map((p) => p.address)).toEqual([
      { name: "Jörg Müller", address: "joerg@example.org" },
      { name: "", address: "bob@example.org" },
      null,
      null,
      null,
    ]);
    expect(parsed[2]?.text).toBe("not an address");
  });

  it("round-trips a name that needs quoting", () => {
    const text = formatAddress({ name: "Doe, Jane", address: "jane@example.org" });
    expect(text).toBe('"Doe, Jane" <jane@example.org>');
    expect(parseRecipients(text)[0]?.address).toEqual({ name: "Doe, Jane", address: "jane@example.org" });
  });
});

describe("isValidMailbox", () => {
  it("accepts an addr-spec and refuses names, lists and garbage", () => {
    expect(isValidMailbox("bob@example.test")).toBe(true);
    expect(isValidMailbox("Bob <bob@example.test>")).toBe(false);
    expect(isValidMailbox("a@b.c, d@e.f")).toBe(false);
    expect(isValidMailbox("bob")).toBe(false);
  });
});
