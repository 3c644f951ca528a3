import { describe, expect, it } from "vitest";
import { bodyCacheKey, isBodyCacheKey } from "./body-cache-key";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";

describe("bodyCacheKey / isBodyCacheKey", () => {
  it("gives each login its own key, which only that login's check accepts", () => {
    const alice = bodyCacheKey("alice@example.test", SECRET);
    expect(alice).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(isBodyCacheKey("alice@example.test", alice, SECRET)).toBe(true);
    // Logins are compared without case, as IMAP servers compare user names.
    expect(isBodyCacheKey("Alice@Example.test", alice, SECRET)).toBe(true);
    expect(bodyCacheKey("bob@example.test", SECRET)).not.toBe(alice);
    expect(isBodyCacheKey("bob@example.test", alice, SECRET)).toBe(false);
  });

  it("depends on the server's secret and refuses damaged or empty keys", () => {
    const alice = bodyCacheKey("alice@example.test", SECRET);
    expect(bodyCacheKey("alice@example.test", `${SECRET}x`)).not.toBe(alice);
    expect(isBodyCacheKey("alice@example.test", alice, `${SECRET}x`)).toBe(false);
    expect(isBodyCacheKey("alice@example.test", alice.slice(0, -1), SECRET)).toBe(false);
    expect(isBodyCacheKey("alice@example.test", `${alice}A`, SECRET)).toBe(false);
    expect(isBodyCacheKey("alice@example.test", "", SECRET)).toBe(false);
    expect(isBodyCacheKey("alice@example.test", "not base64 at all!", SECRET)).toBe(false);
  });
});
