import { hkdfSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getStore } from "@/lib/store";
import {
  backgroundCredentialReasons,
  backgroundKey,
  holdBackgroundCredentials,
  readBackgroundCredentials,
  releaseBackgroundCredentials,
} from "./background-credentials";

const key = backgroundKey({ AUTH_SECRET: "a-long-enough-auth-secret-for-the-tests-0123" });

describe("background credentials", () => {
  it("derives the key from AUTH_SECRET with the documented HKDF, or takes LETTERBOX_SECRET_KEY", () => {
    const secret = "a-long-enough-auth-secret-for-the-tests-0123";
    expect(key.equals(Buffer.from(hkdfSync("sha256", secret, "letterbox", "background-credentials v1", 32)))).toBe(true);
    expect(backgroundKey({ AUTH_SECRET: `${secret}x` }).equals(key)).toBe(false);
    const configured = randomBytes(32);
    expect(backgroundKey({ LETTERBOX_SECRET_KEY: configured.toString("base64"), AUTH_SECRET: secret }).equals(configured)).toBe(true);
    expect(() => backgroundKey({ LETTERBOX_SECRET_KEY: "c2hvcnQ=" })).toThrow(/LETTERBOX_SECRET_KEY/);
  });

  it("keeps the password encrypted, readable only with the key", async () => {
    await holdBackgroundCredentials("Alice@example.test", "outbox-password-42", "outbox", key);
    expect(await readBackgroundCredentials("alice@example.test", key)).toEqual({ login: "alice@example.test", password: "outbox-password-42" });
    const raw = JSON.stringify(await (await getStore()).kv.get("background-credentials:alice@example.test"));
    expect(raw).not.toContain("outbox-password-42");
    expect(await readBackgroundCredentials("alice@example.test", randomBytes(32))).toBeNull();
  });

  it("an entry moved under another login does not decrypt", async () => {
    await holdBackgroundCredentials("mallory@example.test", "pw", "outbox", key);
    const store = await getStore();
    await store.kv.set("background-credentials:victim@example.test", await store.kv.get("background-credentials:mallory@example.test"));
    expect(await readBackgroundCredentials("victim@example.test", key)).toBeNull();
  });

  it("exists only while some background work holds it", async () => {
    await holdBackgroundCredentials("bob@example.test", "pw", "outbox", key);
    await holdBackgroundCredentials("bob@example.test", "pw", "pop3:home", key);
    expect(await backgroundCredentialReasons("bob@example.test")).toEqual(["outbox", "pop3:home"]);
    await releaseBackgroundCredentials("bob@example.test", "outbox");
    expect(await readBackgroundCredentials("bob@example.test", key)).not.toBeNull();
    await releaseBackgroundCredentials("bob@example.test", "pop3:home");
    expect(await readBackgroundCredentials("bob@example.test", key)).toBeNull();
    expect(await (await getStore()).kv.get("background-credentials:bob@example.test")).toBeNull();
  });
});
