import "server-only";

/**
 * The part of the store's key-value interface (lib/store, KvStore) that settings use: values are
 * JSON, kept until deleted. Declared here so the use cases can be unit-tested with a small fake.
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
