import { describe, expect, it } from "vitest";
import { cleanComposedHtml, htmlToPlainText } from "./compose-body";

describe("cleanComposedHtml", () => {
  it("keeps the editor's formatting and drops script, handlers and foreign schemes", () => {
    const html = cleanComposedHtml(
      '<p onclick="x()"><strong>Bold</strong> <a href="javascript:alert(1)">bad</a> <a href="https://example.org">good</a></p><script>alert(1)</script><img src="https://t.example/p.gif">',
    );
    expect(html).toBe('<p><strong>Bold</strong> <a>bad</a> <a href="https://example.org">good</a></p>');
  });
});

describe("htmlToPlainText", () => {
  it("renders lists, links and quotes faithfully", () => {
    const text = htmlToPlainText(
      '<p>Hello <strong>Bob</strong>,</p><ul><li>one</li><li>two</li></ul><ol><li>first</li></ol><p>See <a href="https://example.org/x">the page</a>.</p><blockquote><p>quoted line</p></blockquote>',
    );
    expect(text).toContain("Hello Bob,");
    expect(text).toMatch(/\* one\n \* two/);
    expect(text).toMatch(/1\. first/);
    expect(text).toContain("the page [https://example.org/x]");
    expect(text).toContain("> quoted line");
  });
});
