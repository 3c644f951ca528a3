import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { serverConfig } from "@/lib/env";
import { getStore } from "@/lib/store";

/**
 * Credentials for work done while no browser is open (an outbox retrying a send, a scheduled send,
 * a POP3 account fetched on a schedule). This is a deliberate, narrow change to the threat model
 * (docs/architecture.md, "Background credentials"): a session's password is encrypted with a key
 * only its cookie holds, but background work has no cookie, so these entries are encrypted with a
 * key from the server's configuration —
 *   LETTERBOX_SECRET_KEY (32 random bytes, base64), or, when unset,
 *   HKDF-SHA256(ikm = AUTH_SECRET, salt = "letterbox", info = "background-credentials v1", 32 bytes)
 * — so the store alone (a copied SQLite file, a Redis dump) still reveals no password, but the
 * store together with the configuration does. To keep that exposure small, an entry exists only
 * while its login has background work pending: each piece of work holds it under a reason
 * ("outbox", "pop3:<account>") and releases it when done; the last release deletes the entry.
 */

interface Entry {
  iv: string;
  tag: string;
  ciphertext: string;
  /** Why the entry is kept; deleted when none is left. */
  reasons: string[];
}

const entryKey = (login: string) => `background-credentials:${login.toLowerCase()}`;

/** The encryption key: LETTERBOX_SECRET_KEY, else derived from AUTH_SECRET (see above). */
export function backgroundKey(env: Record<string, string | undefined> = process.env): Buffer {
  const configured = env.LETTERBOX_SECRET_KEY?.trim();
  if (configured) {
    const key = Buffer.from(configured, "base64");
    if (key.length !== 32) throw new Error("LETTERBOX_SECRET_KEY must be 32 random bytes in base64 (openssl rand -base64 32)");
    return key;
  }
  const secret = env === process.env ? serverConfig().authSecret : env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set");
  return Buffer.from(hkdfSync("sha256", secret, "letterbox", "background-credentials v1", 32));
}

function seal(login: string, password: string, key: Buffer): Omit<Entry, "reasons"> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  // Bound to the login: an entry copied under another login does not decrypt.
  cipher.setAAD(Buffer.from(`background\n${login.toLowerCase()}`));
  const ciphertext = Buffer.concat([cipher.update(password, "utf8"), cipher.final()]);
  return { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), ciphertext: ciphertext.toString("base64") };
}

/** Keeps `login`'s password for background work under `reason` (replacing a password kept before). */
export async function holdBackgroundCredentials(login: string, password: string, reason: string, key = backgroundKey()): Promise<void> {
  const store = await getStore();
  const existing = await store.kv.get<Entry>(entryKey(login));
  const reasons = [...new Set([...(existing?.reasons ?? []), reason])];
  await store.kv.set<Entry>(entryKey(login), { ...seal(login, password, key), reasons });
}

/** The kept password, or null when none is kept or it cannot be decrypted (the key changed). */
export async function readBackgroundCredentials(login: string, key = backgroundKey()): Promise<{ login: string; password: string } | null> {
  const entry = await (await getStore()).kv.get<Entry>(entryKey(login));
  if (!entry) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(entry.iv, "base64"));
    decipher.setAAD(Buffer.from(`background\n${login.toLowerCase()}`));
    decipher.setAuthTag(Buffer.from(entry.tag, "base64"));
    const password = Buffer.concat([decipher.update(Buffer.from(entry.ciphertext, "base64")), decipher.final()]).toString("utf8");
    return { login, password };
  } catch {
    return null;
  }
}

/** Work under `reason` is done; the entry goes with the last reason. */
export async function releaseBackgroundCredentials(login: string, reason: string): Promise<void> {
  const store = await getStore();
  const existing = await store.kv.get<Entry>(entryKey(login));
  if (!existing) return;
  const reasons = existing.reasons.filter((r) => r !== reason);
  if (reasons.length === 0) await store.kv.delete(entryKey(login));
  else await store.kv.set<Entry>(entryKey(login), { ...existing, reasons });
}

/** The reasons the entry is kept for (empty when there is none), for tests and diagnostics. */
export async function backgroundCredentialReasons(login: string): Promise<string[]> {
  return (await (await getStore()).kv.get<Entry>(entryKey(login)))?.reasons ?? [];
}
