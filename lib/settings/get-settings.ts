import "server-only";
import { defaultSettings, userSettingsSchema } from "@/lib/mail/schemas";
import type { UserSettings } from "@/lib/mail/types";
import { settingsKey, storeKv, type SettingsKv } from "./settings-kv";

/**
 * Reads stored settings field by field: a field that no longer validates (an older version's value,
 * a setting since removed) falls back to its default instead of costing the user all the others.
 */
export function readStoredSettings(stored: unknown): UserSettings {
  const record = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const settings: Record<string, unknown> = { ...defaultSettings };
  for (const [name, schema] of Object.entries(userSettingsSchema.shape)) {
    const parsed = schema.safeParse(record[name]);
    if (parsed.success && record[name] !== undefined) settings[name] = parsed.data;
  }
  return settings as unknown as UserSettings;
}

/** The settings of `login`, defaults where nothing is stored. */
export async function getSettings(login: string, kv?: SettingsKv): Promise<UserSettings> {
  return readStoredSettings(await (kv ?? (await storeKv())).get<unknown>(settingsKey(login)));
}
