import { describe, expect, it } from "vitest";
import { resolveMailUrl, type UrlPolicy } from "./resolve-mail-url";

const policy = (allowRemote: boolean): UrlPolicy => ({
  allowRemote,
  cidUrl: (cid) => (cid === "img@x" ? "/parts/2" : null),
});

describe("resolveMailUrl", () => {
  it("blocks remote images unless allowed, normalizing what it keeps", () => {
    expect(resolveMailUrl("http://t.example/p.gif", "image", policy(false))).toEqual({ kind: "blocked" });
    expect(resolveMailUrl(" HTTP://T.example/a b.gif ", "image", policy(true))).toEqual({
      kind: "keep",
      url: "http://t.example/a%20b.gif",
    });
    expect(resolveMailUrl("//t.example/p.gif", "css", policy(false))).toEqual({ kind: "blocked" });
    expect(resolveMailUrl("\\\\t.example\\p.gif", "image", policy(true))).toEqual({
      kind: "keep",
      url: "https://t.example/p.gif",
    });
    expect(resolveMailUrl("http://[bad", "image", policy(true))).toEqual({ kind: "dropped" });
  });

  it("never loads a remote font, allowed or not, but keeps the message's own", () => {
    for (const allow of [false, true]) {
      expect(resolveMailUrl("https://fonts.example/a.woff2", "font", policy(allow))).toEqual({ kind: "dropped" });
      expect(resolveMailUrl("//fonts.example/a.woff2", "font", policy(allow))).toEqual({ kind: "dropped" });
    }
    expect(resolveMailUrl("data:font/woff2;base64,AAAA", "font", policy(false))).toEqual({
      kind: "keep",
      url: "data:font/woff2;base64,AAAA",
    });
    expect(resolveMailUrl("cid:img@x", "font", policy(false))).toEqual({ kind: "keep", url: "/parts/2", cid: "img@x" });
  });

  it("keeps web links whatever the remote setting", () => {
    expect(resolveMailUrl("https://example.com/a", "link", policy(false))).toEqual({
      kind: "keep",
      url: "https://example.com/a",
    });
    expect(resolveMailUrl("#section", "link", policy(false))).toEqual({ kind: "keep", url: "#section" });
    expect(resolveMailUrl("mailto:a@b.example", "link", policy(false))).toEqual({
      kind: "keep",
      url: "mailto:a@b.example",
    });
    expect(resolveMailUrl("tel:+15550100", "link", policy(false))).toEqual({
      kind: "keep",
      url: "tel:+15550100",
    });
  });

  it("drops script and document schemes however they are disguised", () => {
    for (const url of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "java\nscript:alert(1)",
      "\u0001\u0020javascript:alert(1)",
      "vbscript:msgbox(1)",
      "data:text/html,<script>alert(1)</script>",
      "file:///etc/passwd",
      "blob:https://x/1",
      "",
      "   ",
    ]) {
      expect(resolveMailUrl(url, "link", policy(true))).toEqual({ kind: "dropped" });
      expect(resolveMailUrl(url, "image", policy(true))).toEqual({ kind: "dropped" });
    }
  });

  it("drops relative URLs, which would point at the app itself", () => {
    expect(resolveMailUrl("/api/messages/1", "link", policy(true))).toEqual({ kind: "dropped" });
    expect(resolveMailUrl("pixel.gif", "image", policy(true))).toEqual({ kind: "dropped" });
  });

  it("rewrites known cid: images and drops unknown ones", () => {
    expect(resolveMailUrl("cid:img@x", "image", policy(false))).toEqual({
      kind: "keep",
      url: "/parts/2",
      cid: "img@x",
    });
    expect(resolveMailUrl("CID:%3Cimg@x%3E", "css", policy(false))).toEqual({
      kind: "keep",
      url: "/parts/2",
      cid: "img@x",
    });
    expect(resolveMailUrl("cid:other@x", "image", policy(false))).toEqual({ kind: "dropped" });
    expect(resolveMailUrl("cid:%E0%A4%A", "image", policy(false))).toEqual({ kind: "dropped" });
    expect(resolveMailUrl("cid:img@x", "link", policy(false))).toEqual({ kind: "dropped" });
  });

  it("allows data: only where it cannot become a document", () => {
    expect(resolveMailUrl("data:image/png;base64,AAAA", "image", policy(false))).toEqual({
      kind: "keep",
      url: "data:image/png;base64,AAAA",
    });
    expect(resolveMailUrl("data:font/woff2;base64,AAAA", "css", policy(false))).toEqual({
      kind: "keep",
      url: "data:font/woff2;base64,AAAA",
    });
    expect(resolveMailUrl("data:font/woff2;base64,AAAA", "image", policy(false))).toEqual({
      kind: "dropped",
    });
    expect(resolveMailUrl("data:image/png;base64,AAAA", "link", policy(false))).toEqual({ kind: "dropped" });
  });
});
