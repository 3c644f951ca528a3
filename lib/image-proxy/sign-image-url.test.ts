import { describe, expect, it } from "vitest";
import { signImageUrl, verifyImageUrl } from "./sign-image-url";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const URL_A = "https://images.example/a.png?size=2";

function parts(signed: string) {
  const params = new URL(signed, "http://app.test").searchParams;
  return { url: params.get("url")!, sig: params.get("sig")! };
}

describe("signImageUrl / verifyImageUrl", () => {
  it("makes an /api/proxy URL carrying the remote URL and a signature that verifies for the same login", () => {
    const signed = signImageUrl("alice@example.test", URL_A, SECRET);
    expect(signed.startsWith("/api/proxy?")).toBe(true);
    const { url, sig } = parts(signed);
    expect(url).toBe(URL_A);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyImageUrl("alice@example.test", url, sig, SECRET)).toBe(true);
    // The login is compared without case, as IMAP servers compare user names.
    expect(verifyImageUrl("Alice@Example.test", url, sig, SECRET)).toBe(true);
  });

  it("refuses another login, another URL, another secret, and damaged signatures", () => {
    const { url, sig } = parts(signImageUrl("alice@example.test", URL_A, SECRET));
    expect(verifyImageUrl("bob@example.test", url, sig, SECRET)).toBe(false);
    expect(verifyImageUrl("alice@example.test", `${url}&x=1`, sig, SECRET)).toBe(false);
    expect(verifyImageUrl("alice@example.test", "http://169.254.169.254/", sig, SECRET)).toBe(false);
    expect(verifyImageUrl("alice@example.test", url, sig, `${SECRET}x`)).toBe(false);
    expect(verifyImageUrl("alice@example.test", url, sig.slice(0, -1), SECRET)).toBe(false);
    expect(verifyImageUrl("alice@example.test", url, `${sig.slice(0, -2)}AA`, SECRET)).toBe(false);
    expect(verifyImageUrl("alice@example.test", url, "", SECRET)).toBe(false);
    expect(verifyImageUrl("alice@example.test", url, "!!!", SECRET)).toBe(false);
  });

  it("cannot be shifted between login and URL", () => {
    const a = parts(signImageUrl("a", "bhttp://x.example/", SECRET));
    expect(verifyImageUrl("ab", "http://x.example/", a.sig, SECRET)).toBe(false);
  });
});
