import { describe, expect, it, vi } from "vitest";
import { getStore } from "@/lib/store";
import { forgetCredentials, readCredentials, saveCredentials } from "./credential-store";

describe("credential store", () => {
  it("returns the password only with the key from the cookie", async () => {
    const { sessionId, key } = await saveCredentials("alice@example.test", "s3cret ü", 60_000);
    expect(await readCredentials(sessionId, key)).toEqual({ login: "alice@example.test", password: "s3cret ü" });
    const other = await saveCredentials("bob@example.test", "x", 60_000);
    expect(await readCredentials(sessionId, other.key)).toBeNull();
    expect(await readCredentials(other.sessionId, key)).toBeNull();
  });

  it("keeps no password the store alone could reveal", async () => {
    const { sessionId } = await saveCredentials("carol@example.test", "plain-password-123", 60_000);
    const stored = JSON.stringify(await (await getStore()).kv.get(`session:${sessionId}`));
    expect(stored).toContain("carol@example.test");
    expect(stored).not.toContain("plain-password-123");
    expect(stored).not.toContain(Buffer.from("plain-password-123").toString("base64"));
  });

  it("forgets on sign-out and on expiry", async () => {
    const a = await saveCredentials("a@example.test", "pw", 60_000);
    await forgetCredentials(a.sessionId);
    expect(await readCredentials(a.sessionId, a.key)).toBeNull();
    const b = await saveCredentials("b@example.test", "pw", 30);
    await vi.waitFor(async () => expect(await readCredentials(b.sessionId, b.key)).toBeNull(), { timeout: 2000, interval: 10 });
  });
});
