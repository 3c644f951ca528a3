import { describe, expect, it } from "vitest";
import { forgetCredentials, readCredentials, saveCredentials } from "./credential-store";

describe("credential store", () => {
  it("returns the password only with the key from the cookie", () => {
    const { sessionId, key } = saveCredentials("alice@example.test", "s3cret ü", 60_000);
    expect(readCredentials(sessionId, key)).toEqual({ login: "alice@example.test", password: "s3cret ü" });
    const other = saveCredentials("bob@example.test", "x", 60_000);
    expect(readCredentials(sessionId, other.key)).toBeNull();
    expect(readCredentials(other.sessionId, key)).toBeNull();
  });

  it("forgets on sign-out and on expiry", async () => {
    const a = saveCredentials("a@example.test", "pw", 60_000);
    forgetCredentials(a.sessionId);
    expect(readCredentials(a.sessionId, a.key)).toBeNull();
    const b = saveCredentials("b@example.test", "pw", 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(readCredentials(b.sessionId, b.key)).toBeNull();
  });
});
