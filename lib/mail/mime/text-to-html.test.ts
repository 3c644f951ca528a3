import { describe, expect, it } from "vitest";
import { textToHtml } from "./text-to-html";

const wrap = (inner: string) => `<div class="lb-plain" style="white-space:pre-wrap">${inner}</div>`;
const a = (href: string, text = href) =>
  `<a href="${href}" target="_blank" rel="noopener noreferrer">${text}</a>`;

describe("textToHtml", () => {
  it("escapes markup and keeps whitespace", () => {
    expect(textToHtml("<script>alert('x')</script> & \"q\"\n\n  indented\ttab")).toBe(
      wrap("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\n\n  indented\ttab"),
    );
  });

  it("normalizes CRLF and drops one trailing newline", () => {
    expect(textToHtml("a\r\nb\rc\r\n")).toBe(wrap("a\nb\nc"));
  });

  it("links URLs without the punctuation around them", () => {
    expect(textToHtml("See http://example.com/a. Or (https://example.com/b_(c)), www.example.org!")).toBe(
      wrap(
        `See ${a("http://example.com/a")}. Or (${a("https://example.com/b_(c)")}), ${a("http://www.example.org", "www.example.org")}!`,
      ),
    );
  });

  it("escapes what it puts into href", () => {
    expect(textToHtml('https://x.example/?a=1&b="2"')).toBe(
      wrap(`${a("https://x.example/?a=1&amp;b=", "https://x.example/?a=1&amp;b=")}&quot;2&quot;`),
    );
    expect(textToHtml("https://x.example/'onmouseover=alert(1)")).toBe(
      wrap(a("https://x.example/&#39;onmouseover=alert(1)")),
    );
  });

  it("links e-mail addresses", () => {
    expect(textToHtml("Write to bob.smith+tag@mail.example.com, or to <alice@example.org>.")).toBe(
      wrap(
        `Write to ${a("mailto:bob.smith+tag@mail.example.com", "bob.smith+tag@mail.example.com")}, or to &lt;${a("mailto:alice@example.org", "alice@example.org")}&gt;.`,
      ),
    );
  });

  it("does not link what only looks like an address or URL", () => {
    expect(textToHtml("user@localhost @handle a@b http:// www. x@y.z1")).toBe(
      wrap("user@localhost @handle a@b http:// www. x@y.z1"),
    );
  });

  it("does not link an address inside a URL twice", () => {
    expect(textToHtml("https://x.example/u/bob@example.com")).toBe(
      wrap(a("https://x.example/u/bob@example.com")),
    );
  });

  it("turns quoted lines into nested blockquotes", () => {
    expect(textToHtml("Hi\n> one\n>> two\n> > two too\n>back\nend")).toBe(
      wrap(
        'Hi<blockquote type="cite">one<blockquote type="cite">two\ntwo too</blockquote>back</blockquote>end',
      ),
    );
  });

  it("closes quotes still open at the end and caps their depth", () => {
    expect(textToHtml("> a")).toBe(wrap('<blockquote type="cite">a</blockquote>'));
    const deep = textToHtml(`${">".repeat(10_000)} deep`);
    expect(deep.match(/<blockquote/g)?.length).toBe(24);
    expect(deep.match(/<\/blockquote>/g)?.length).toBe(24);
  });

  // How long these take is measured in text-to-html.bench.ts (npm run bench:unit), not asserted
  // here: a wall-clock limit in a unit test fails on a busy machine and passes on a fast one.
  it("renders long runs that almost match, losing none of the text", () => {
    const html = textToHtml(`${"a".repeat(200_000)}@ ${"http://".repeat(20_000)} ${")".repeat(50_000)}`);
    expect(html).toContain(`${"a".repeat(200_000)}@`);
    expect(html).toContain(")".repeat(50_000));
    expect(textToHtml("a@".repeat(100_000)).replace(/<[^>]*>/g, "")).toBe("a@".repeat(100_000));
  });

  it("returns an empty block for empty text", () => {
    expect(textToHtml("")).toBe(wrap(""));
  });
});
