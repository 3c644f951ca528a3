import "server-only";

// Mail HTML is written for a white canvas: many newsletters set dark text and no background, so
// the frame stays light whatever the app's theme (color-scheme: light keeps UA colours light too).
const BASE_STYLE = [
  "html{color-scheme:light;background:#fff}",
  "body{margin:0;padding:12px 16px;background:#fff;color:#1f1f1f;",
  'font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;',
  "overflow-wrap:break-word;word-wrap:break-word}",
  "img{max-width:100%}",
  "img:not([data-letterbox-blocked]){height:auto}",
  "pre{white-space:pre-wrap}",
  "table{max-width:100%}",
  ".lb-plain{white-space:pre-wrap}",
  '.lb-plain blockquote,blockquote[type="cite"]{margin:.4em 0 .4em .2em;padding:0 0 0 .8em;border-left:3px solid #c9ced6;color:#4a5160}',
  "img[data-letterbox-blocked]{display:inline-block;box-sizing:border-box;min-width:16px;min-height:16px;",
  "border:1px dashed #b9bec7;background:#f3f4f6;color:#6b7280;font-size:11px;vertical-align:middle;overflow:hidden}",
].join("");

/**
 * The complete document of the reader's sandboxed frame (its `srcdoc`): the sanitized body under a
 * small base style sheet, and first of all its own policy, bodyContentSecurityPolicy(), which
 * forbids what the sanitizer removed. The policy is a `<meta>` because the document comes inside
 * the message's JSON rather than as a response of its own; a `srcdoc` document also inherits the
 * app page's policy, and a document under two policies gets what both allow.
 */
export function renderBodyDocument(sanitizedHtml: string): string {
  return [
    "<!doctype html>",
    '<html><head><meta charset="utf-8">',
    // Before anything it governs: a <meta> policy applies from where it stands in the document.
    `<meta http-equiv="Content-Security-Policy" content="${bodyContentSecurityPolicy()}">`,
    '<meta name="color-scheme" content="light">',
    // Neither the sanitized links nor remote images, once allowed, tell anyone where mail is read.
    '<meta name="referrer" content="no-referrer">',
    // Chromium resolves link host names ahead of a click; that lookup alone tells a tracker's DNS
    // server the message was opened.
    '<meta http-equiv="x-dns-prefetch-control" content="off">',
    `<style>${BASE_STYLE}</style>`,
    "</head><body>",
    sanitizedHtml,
    "</body></html>",
  ].join("");
}

/**
 * The Content-Security-Policy of renderBodyDocument(): nothing runs, nothing is framed or
 * submitted, and nothing loads from anywhere but the app itself: 'self' is the app's part URLs for
 * cid: images and, once the reader allows remote content, its image proxy (/api/proxy), through
 * which the sanitizer rewrites every remote image. So no remote host is listed, even then. No
 * frame-ancestors: a <meta> policy cannot carry it (CSP3 §6.4.2), and a `srcdoc` document has no
 * URL of its own that anyone else could frame.
 */
export function bodyContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "img-src 'self' data:",
    // Inline <style> and style attributes are the message's own, filtered by the sanitizer; remote
    // style sheets are never kept (@import and <link> are removed), so no host is listed.
    "style-src 'unsafe-inline'",
    "font-src 'self' data:",
    "script-src 'none'",
    "object-src 'none'",
    "media-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join("; ");
}
