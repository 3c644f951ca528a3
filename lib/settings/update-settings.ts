import "server-only";
import type { z } from "zod";
import { cleanComposedHtml } from "@/lib/mail/mime";
import type { userSettingsPatchSchema } from "@/lib/mail/schemas";
import type { UserSettings } from "@/lib/mail/types";
import { getSettings } from "./get-settings";
import { settingsKey, storeKv, type SettingsKv } from "./settings-kv";

export type SettingsPatch = z.infer<typeof userSettingsPatchSchema>;

/**
 * Merges a validated partial update into the stored settings of `login` and returns the whole.
 * Fields are replaced, not deep-merged: a signature arrives as format and body together. Two
 * updates racing each other from two browsers may lose one field; settings change rarely, by hand.
 */
export async function updateSettings(login: string, patch: SettingsPatch, kv?: SettingsKv): Promise<UserSettings> {
  const store = kv ?? (await storeKv());
  const current = await getSettings(login, store);
  const next: UserSettings = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    if (value !== undefined) (next as unknown as Record<string, unknown>)[name] = value;
  }
  // A rich signature is kept as the composer would send it: only the editor's own tags and links.
  if (patch.signature?.format === "html") next.signature = { format: "html", body: cleanComposedHtml(patch.signature.body) };
  await store.set(settingsKey(login), next);
  return next;
}
