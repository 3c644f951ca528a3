import "server-only";
import { getStore } from "@/lib/store";

/**
 * The part of the store's key-value interface (lib/store, KvStore) that settings use: values are
 * JSON, kept until deleted. Declared here so the use cases can be unit-tested with a small fake;
 * everywhere else they use the process's store.
 */
export interface SettingsKv {
  get<T>(key: string): Promise<T | null>;
  set<T>(key: string, value: T, options?: { ttlMs?: number }): Promise<void>;
}

/**
 * One entry per login, whichever browser or session it signs in from. Logins are addresses and
 * compared case-insensitively, as the IMAP server does (Dovecot's auth_username_format = %Lu).
 */
export function settingsKey(login: string): string {
  return `settings:v1:${login.trim().toLowerCase()}`;
}

export async function storeKv(): Promise<SettingsKv> {
  return (await getStore()).kv;
}
