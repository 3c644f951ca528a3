import { describe, expect, it } from "vitest";
import { bodyContentSecurityPolicy, renderBodyDocument } from "./render-body-document";

describe("renderBodyDocument", () => {
  const doc = renderBodyDocument('<p class="x">Hello</p>');

  it("is a complete UTF-8 document with the body inside <body>", () => {
    expect(doc.startsWith('<!doctype html>\n<html><head><meta charset="utf-8">')).toBe(false);
    expect(doc.startsWith('<!doctype html><html><head><meta charset="utf-8">')).toBe(true);
    expect(doc.endsWith('<body><p class="x">Hello</p></body></html>')).toBe(true);
  });

  it("keeps a light canvas and leaks no referrer or DNS lookups", () => {
    expect(doc).toContain('<meta name="color-scheme" content="light">');
    expect(doc).toContain('<meta name="referrer" content="no-referrer">');
    expect(doc).toContain('<meta http-equiv="x-dns-prefetch-control" content="off">');
    expect(doc).toMatch(/html\{color-scheme:light;background:#fff\}/);
  });

  it("styles plain text, quotes, images and blocked-image placeholders", () => {
    expect(doc).toContain(".lb-plain{white-space:pre-wrap}");
    expect(doc).toContain("img{max-width:100%}");
    expect(doc).toMatch(/blockquote\[type="cite"\]\{[^}]*border-left/);
    expect(doc).toMatch(/img\[data-letterbox-blocked\]\{[^}]*dashed/);
    expect(doc).toContain("font:14px/1.5 system-ui");
  });

  it("states its own policy first, before anything it governs", () => {
    const head = doc.slice(0, doc.indexOf("<style>"));
    expect(head).toContain(`<meta http-equiv="Content-Security-Policy" content="${bodyContentSecurityPolicy()}">`);
    expect(doc.indexOf("Content-Security-Policy")).toBeLessThan(doc.indexOf('name="color-scheme"'));
  });

  it("contains no script of its own", () => {
    expect(renderBodyDocument("")).not.toMatch(/<script|\son\w+=/i);
  });
});

describe("bodyContentSecurityPolicy", () => {
  it("loads only from the app itself (parts, the image proxy) and data: images; runs and frames nothing", () => {
    expect(bodyContentSecurityPolicy()).toBe(
      "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'self' data:; script-src 'none'; object-src 'none'; media-src 'none'; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'",
    );
  });

  it("names no remote host: allowed remote images come through the image proxy", () => {
    expect(bodyContentSecurityPolicy()).not.toMatch(/https?:|\*/);
  });
});
