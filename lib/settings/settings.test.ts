import { describe, expect, it } from "vitest";
import { defaultSettings, userSettingsPatchSchema } from "@/lib/mail/schemas";
import { getSettings, readStoredSettings } from "./get-settings";
import { settingsKey, type SettingsKv } from "./settings-kv";
import { updateSettings } from "./update-settings";

/** A fake of the store's kv, as lib/store's contract describes it: JSON in, JSON out. */
function fakeKv(): SettingsKv & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    async get<T>(key: string) {
      const raw = entries.get(key);
      return raw === undefined ? null : (JSON.parse(raw) as T);
    },
    async set<T>(key: string, value: T) {
      entries.set(key, JSON.stringify(value));
    },
  };
}

describe("settings", () => {
  it("gives the defaults to a login with nothing stored", async () => {
    expect(await getSettings("alice@example.test", fakeKv())).toEqual(defaultSettings);
  });

  it("merges a partial update, keeps the rest, and is the same for every spelling of the login", async () => {
    const kv = fakeKv();
    await updateSettings("alice@example.test", userSettingsPatchSchema.parse({ displayName: "Alice Example", density: "compact" }), kv);
    const after = await updateSettings("Alice@Example.TEST", userSettingsPatchSchema.parse({ theme: "dark" }), kv);
    expect(after).toEqual({ ...defaultSettings, displayName: "Alice Example", density: "compact", theme: "dark" });
    expect(await getSettings("ALICE@example.test", kv)).toEqual(after);
    expect(await getSettings("bob@example.test", kv)).toEqual(defaultSettings);
    expect([...kv.entries.keys()]).toEqual([settingsKey("alice@example.test")]);
  });

  it("replaces the signature whole", async () => {
    const kv = fakeKv();
    await updateSettings("a@example.test", userSettingsPatchSchema.parse({ signature: { format: "html", body: "<p>A</p>" } }), kv);
    const after = await updateSettings("a@example.test", userSettingsPatchSchema.parse({ signature: { body: "-- \nA" } }), kv);
    expect(after.signature).toEqual({ format: "text", body: "-- \nA" });
  });

  it("keeps a rich signature to the composer's own tags", async () => {
    const kv = fakeKv();
    const body = '<p onclick="x()"><strong>Alice</strong> <a href="javascript:alert(1)">me</a><script>alert(1)</script><img src="https://t.example/p.gif"></p>';
    const after = await updateSettings("a@example.test", userSettingsPatchSchema.parse({ signature: { format: "html", body } }), kv);
    expect(after.signature.body).toBe("<p><strong>Alice</strong> <a>me</a></p>");
  });

  it("keeps every valid stored field when another no longer validates", () => {
    const stored = { displayName: "Alice", density: "cosy", theme: "dark", removedSetting: true };
    expect(readStoredSettings(stored)).toEqual({ ...defaultSettings, displayName: "Alice", theme: "dark" });
    expect(readStoredSettings("garbage")).toEqual(defaultSettings);
  });

  it("reads a patch as only the fields it names", () => {
    expect(userSettingsPatchSchema.parse({ theme: "dark" })).toEqual({ theme: "dark" });
  });

  it("refuses a patch outside the schema", () => {
    expect(userSettingsPatchSchema.safeParse({ density: "tiny" }).success).toBe(false);
    expect(userSettingsPatchSchema.safeParse({ displayName: "x".repeat(201) }).success).toBe(false);
    expect(userSettingsPatchSchema.safeParse({ displayName: "Eve\r\nBcc: all@example.org" }).success).toBe(false);
  });

  it("keeps the undo send window to 0, 5, 10, 20 or 30 seconds, 10 by default", () => {
    expect(defaultSettings.undoSendSeconds).toBe(10);
    for (const seconds of [0, 5, 10, 20, 30]) expect(userSettingsPatchSchema.parse({ undoSendSeconds: seconds })).toEqual({ undoSendSeconds: seconds });
    for (const seconds of [7, -5, 60, "10"]) expect(userSettingsPatchSchema.safeParse({ undoSendSeconds: seconds }).success).toBe(false);
    expect(readStoredSettings({ undoSendSeconds: 45 }).undoSendSeconds).toBe(10);
  });
});
