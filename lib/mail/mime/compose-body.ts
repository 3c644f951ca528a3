import "server-only";
import { convert } from "html-to-text";
import sanitizeHtml from "sanitize-html";

// What the composer's editor produces (TipTap's starter kit): nothing else is sent.
const COMPOSED_TAGS = ["p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h1", "h2", "h3", "hr"];

/**
 * The HTML the user composed, reduced to the editor's own vocabulary. It came from the user's own
 * browser, but a pasted fragment or a crafted request could carry script or tracking; recipients'
 * clients deserve clean mail from us.
 */
export function cleanComposedHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: COMPOSED_TAGS,
    allowedAttributes: { a: ["href"] },
    allowedSchemes: ["http", "https", "mailto"],
  });
}

/** A complete document around the composed fragment, as mail clients expect (charset declared). */
export function composedHtmlDocument(fragment: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${fragment}</body></html>`;
}

/**
 * The plain-text alternative of an HTML body (RFC 2046 §5.1.4): paragraphs, list bullets and
 * numbers, links as "text [url]", quotes prefixed with "> " as mail readers expect.
 */
export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: 76,
    selectors: [
      { selector: "a", options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
      { selector: "img", format: "skip" },
      { selector: "h1", options: { uppercase: false } },
      { selector: "h2", options: { uppercase: false } },
      { selector: "h3", options: { uppercase: false } },
      { selector: "table", format: "dataTable" },
    ],
  }).trim();
}

/** The body of a quoted original for a reply: its text, each line prefixed the way mail quotes are. */
export function quotePlainText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => (line.startsWith(">") ? `>${line}` : `> ${line}`))
    .join("\n");
}
