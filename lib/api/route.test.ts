import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./route";

const req = (headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/x", { method: "POST", headers });

describe("isSameOriginRequest", () => {
  it("trusts the browser's Sec-Fetch-Site", () => {
    expect(isSameOriginRequest(req({ "sec-fetch-site": "same-origin" }))).toBe(true);
    expect(isSameOriginRequest(req({ "sec-fetch-site": "cross-site", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }))).toBe(false);
    expect(isSameOriginRequest(req({ "sec-fetch-site": "same-site" }))).toBe(false);
  });

  it("falls back to comparing Origin with Host", () => {
    expect(isSameOriginRequest(req({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }))).toBe(true);
    expect(isSameOriginRequest(req({ origin: "http://evil.example", host: "127.0.0.1:3000" }))).toBe(false);
    expect(isSameOriginRequest(req({ host: "127.0.0.1:3000" }))).toBe(false);
    expect(isSameOriginRequest(req({ origin: "null", host: "127.0.0.1:3000" }))).toBe(false);
  });
});
