import { describe, expect, it } from "vitest";
import { isDeclaredTrackingPixel, isKnownTrackingPixelUrl, stripTrackingParameters } from "./tracking";

describe("stripTrackingParameters", () => {
  it("removes campaign and click ids, keeps what the page needs", () => {
    expect(stripTrackingParameters("https://shop.example/item?id=7&utm_source=news&utm_medium=email&UTM_Campaign=x")).toBe(
      "https://shop.example/item?id=7",
    );
    expect(stripTrackingParameters("https://a.example/?fbclid=1&gclid=2&mc_eid=3&_hsenc=4&mkt_tok=5")).toBe("https://a.example/");
    expect(stripTrackingParameters("https://a.example/p?q=utm_source#frag")).toBe("https://a.example/p?q=utm_source#frag");
  });

  it("leaves other URLs exactly as they were", () => {
    for (const href of ["https://a.example/x?b=1&a=2", "mailto:x@example.test?subject=utm_source", "not a url", "https://a.example/"]) {
      expect(stripTrackingParameters(href)).toBe(href);
    }
  });
});

describe("tracking pixels", () => {
  it("knows the open-tracking endpoints of mailing services", () => {
    expect(isKnownTrackingPixelUrl("https://acme.us1.list-manage.com/track/open.php?u=1&id=2")).toBe(true);
    expect(isKnownTrackingPixelUrl("https://u123.ct.sendgrid.net/wf/open?upn=abc")).toBe(true);
    expect(isKnownTrackingPixelUrl("https://news.example/open.gif?r=9")).toBe(true);
    expect(isKnownTrackingPixelUrl("https://news.example/images/header.png")).toBe(false);
  });

  it("takes a declared size of at most 1×1 as a pixel", () => {
    expect(isDeclaredTrackingPixel("1", "1")).toBe(true);
    expect(isDeclaredTrackingPixel("1px", " 0 ")).toBe(true);
    expect(isDeclaredTrackingPixel("1", undefined)).toBe(false);
    expect(isDeclaredTrackingPixel("10", "1")).toBe(false);
    expect(isDeclaredTrackingPixel("100%", "1")).toBe(false);
  });
});
