import { describe, expect, it } from "vitest";
import { textToSignatureHtml } from "./signature-text";

describe("textToSignatureHtml", () => {
  it("makes a paragraph of each line and escapes what the user typed", () => {
    expect(textToSignatureHtml("-- \nAlice <alice@example.test>\n& Co")).toBe(
      "<p>-- </p><p>Alice &lt;alice@example.test&gt;</p><p>&amp; Co</p>",
    );
    expect(textToSignatureHtml("  \n")).toBe("");
  });
});
