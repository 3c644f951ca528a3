import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Mail passwords, kept on the server and encrypted with a key that only the session cookie holds:
 * the cookie alone has no password, and this memory alone cannot be decrypted. A server restart
 * forgets every entry, which signs everyone out (they sign in again; no mail is affected).
 */

interface Entry {
  login: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  expiresAt: number;
}

const globalKey = Symbol.for("letterbox.credentialStore");
const store: Map<string, Entry> =
  ((globalThis as Record<symbol, unknown>)[globalKey] as Map<string, Entry> | undefined) ?? new Map();
(globalThis as Record<symbol, unknown>)[globalKey] = store;

export interface StoredSession {
  sessionId: string;
  /** base64url; goes into the encrypted session cookie and nowhere else. */
  key: string;
}

function sweep(now: number): void {
  for (const [id, entry] of store) if (entry.expiresAt <= now) store.delete(id);
}

export function saveCredentials(login: string, password: string, ttlMs: number): StoredSession {
  const now = Date.now();
  sweep(now);
  const sessionId = randomBytes(24).toString("base64url");
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  // Binding the session id and login means an entry cannot be swapped under another session.
  cipher.setAAD(Buffer.from(`${sessionId}\n${login}`));
  const ciphertext = Buffer.concat([cipher.update(password, "utf8"), cipher.final()]);
  store.set(sessionId, { login, iv, tag: cipher.getAuthTag(), ciphertext, expiresAt: now + ttlMs });
  return { sessionId, key: key.toString("base64url") };
}

export function readCredentials(sessionId: string, key: string): { login: string; password: string } | null {
  const entry = store.get(sessionId);
  if (!entry || entry.expiresAt <= Date.now()) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", Buffer.from(key, "base64url"), entry.iv);
    decipher.setAAD(Buffer.from(`${sessionId}\n${entry.login}`));
    decipher.setAuthTag(entry.tag);
    const password = Buffer.concat([decipher.update(entry.ciphertext), decipher.final()]).toString("utf8");
    return { login: entry.login, password };
  } catch {
    return null;
  }
}

export function forgetCredentials(sessionId: string): void {
  store.delete(sessionId);
}
