import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getStore } from "@/lib/store";

/**
 * Mail passwords, kept in the store (lib/store: SQLite or Redis) and encrypted with a key that only
 * the session cookie holds: the cookie alone has no password, and the store alone — a copied
 * SQLite file, a Redis dump — cannot be decrypted. Entries outlive a restart and are shared by
 * every instance, so a signed-in browser goes on after a deploy. Signing out deletes the entry,
 * which makes a copied cookie useless on every instance.
 */

interface Entry {
  login: string;
  /** base64 */
  iv: string;
  tag: string;
  ciphertext: string;
}

export interface StoredSession {
  sessionId: string;
  /** base64url; goes into the encrypted session cookie and nowhere else. */
  key: string;
}

const entryKey = (sessionId: string) => `session:${sessionId}`;
/** A login's live sessions (ids only, expiring with them), so sign-out knows when the last one ends. */
const sessionsOf = (login: string) => `login-sessions:${login.toLowerCase()}`;

export async function saveCredentials(login: string, password: string, ttlMs: number): Promise<StoredSession> {
  const sessionId = randomBytes(24).toString("base64url");
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  // Binding the session id and login means an entry cannot be swapped under another session.
  cipher.setAAD(Buffer.from(`${sessionId}\n${login}`));
  const ciphertext = Buffer.concat([cipher.update(password, "utf8"), cipher.final()]);
  const entry: Entry = {
    login,
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ciphertext: ciphertext.toString("base64"),
  };
  const store = await getStore();
  await store.kv.set(entryKey(sessionId), entry, { ttlMs });
  await store.records.put(sessionsOf(login), sessionId, 1, { ttlMs, sortKey: Date.now() + ttlMs });
  return { sessionId, key: key.toString("base64url") };
}

/** The login and password of a session, or null when the entry is gone or the key does not open it. */
export async function readCredentials(sessionId: string, key: string): Promise<{ login: string; password: string } | null> {
  const store = await getStore();
  const entry = await store.kv.get<Entry>(entryKey(sessionId));
  if (!entry) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", Buffer.from(key, "base64url"), Buffer.from(entry.iv, "base64"));
    decipher.setAAD(Buffer.from(`${sessionId}\n${entry.login}`));
    decipher.setAuthTag(Buffer.from(entry.tag, "base64"));
    const password = Buffer.concat([decipher.update(Buffer.from(entry.ciphertext, "base64")), decipher.final()]).toString("utf8");
    return { login: entry.login, password };
  } catch {
    return null;
  }
}

/**
 * Deletes a session's entry (sign-out). Returns its login and how many other sessions of that login
 * are still live, so what is kept per login (the list cache) can go with the last one.
 */
export async function forgetCredentials(sessionId: string): Promise<{ login: string; otherSessions: number } | null> {
  const store = await getStore();
  const entry = await store.kv.get<Entry>(entryKey(sessionId));
  await store.kv.delete(entryKey(sessionId));
  if (!entry) return null;
  await store.records.delete(sessionsOf(entry.login), sessionId);
  return { login: entry.login, otherSessions: await store.records.count(sessionsOf(entry.login)) };
}

/** How many sessions of `login` are live (signed in, not expired). */
export async function liveSessionCount(login: string): Promise<number> {
  return (await getStore()).records.count(sessionsOf(login));
}
