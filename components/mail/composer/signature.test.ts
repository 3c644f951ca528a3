import { describe, expect, it } from "vitest";
import { withSignature } from "./signature";

describe("withSignature", () => {
  it("puts a plain signature above the quote, after the -- separator", () => {
    expect(withSignature("> quoted", "text", { format: "text", body: "Alice\nExample Corp" })).toBe("\n\n-- \nAlice\nExample Corp\n\n> quoted");
  });

  it("escapes a plain signature going into a rich body", () => {
    expect(withSignature("<blockquote>q</blockquote>", "html", { format: "text", body: "A <b>&" })).toBe(
      "<p></p><p>-- <br>A &lt;b&gt;&amp;</p><blockquote>q</blockquote>",
    );
  });

  it("leaves the body alone without a signature", () => {
    expect(withSignature("x", "html", { format: "text", body: "  " })).toBe("x");
  });

  it("turns a rich signature into text for a plain body", () => {
    expect(withSignature("", "text", { format: "html", body: "<p>Alice</p>" }, () => "Alice")).toBe("\n\n-- \nAlice\n");
  });
});
