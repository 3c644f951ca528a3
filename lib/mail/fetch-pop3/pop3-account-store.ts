import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { backgroundKey } from "@/lib/auth/background-credentials";
import { AppError } from "@/lib/errors";
import { getStore } from "@/lib/store";
import type { Pop3AccountInput, Pop3AccountStatus, Pop3AccountView } from "./schemas";

/** An account as stored: the POP3 password sealed, never in plaintext. */
export interface StoredPop3Account extends Omit<Pop3AccountView, "status"> {
  sealedPassword: { iv: string; tag: string; ciphertext: string };
  status: Pop3AccountStatus;
}

const collection = (userLogin: string) => `pop3-accounts:${userLogin.toLowerCase()}`;
const aad = (userLogin: string, id: string) => Buffer.from(`pop3\n${userLogin.toLowerCase()}\n${id}`);

/**
 * The POP3 password is encrypted (AES-256-GCM) with the key for background work
 * (lib/auth/background-credentials.ts: LETTERBOX_SECRET_KEY or derived from AUTH_SECRET), bound
 * to the user and the account, because the worker fetches while no browser is open.
 */
export function sealPassword(userLogin: string, id: string, password: string): StoredPop3Account["sealedPassword"] {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", backgroundKey(), iv);
  cipher.setAAD(aad(userLogin, id));
  const ciphertext = Buffer.concat([cipher.update(password, "utf8"), cipher.final()]);
  return { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), ciphertext: ciphertext.toString("base64") };
}

export function openPassword(userLogin: string, account: StoredPop3Account): string | null {
  try {
    const decipher = createDecipheriv("aes-256-gcm", backgroundKey(), Buffer.from(account.sealedPassword.iv, "base64"));
    decipher.setAAD(aad(userLogin, account.id));
    decipher.setAuthTag(Buffer.from(account.sealedPassword.tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(account.sealedPassword.ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    return null; // the key changed: the user enters the password again
  }
}

export function toView(account: StoredPop3Account): Pop3AccountView {
  const { sealedPassword: _sealed, ...view } = account;
  return view;
}

export async function readAccounts(userLogin: string): Promise<StoredPop3Account[]> {
  const records = await (await getStore()).records.scan<StoredPop3Account>(collection(userLogin));
  return records.map((r) => r.value);
}

export async function readAccount(userLogin: string, id: string): Promise<StoredPop3Account> {
  const record = await (await getStore()).records.get<StoredPop3Account>(collection(userLogin), id);
  if (!record) throw new AppError("POP3_ACCOUNT_NOT_FOUND");
  return record.value;
}

export async function writeAccount(userLogin: string, account: StoredPop3Account, createdAt?: number): Promise<void> {
  const store = await getStore();
  const existing = await store.records.get<StoredPop3Account>(collection(userLogin), account.id);
  await store.records.put(collection(userLogin), account.id, account, { sortKey: existing?.sortKey ?? createdAt ?? Date.now() });
}

export async function deleteAccount(userLogin: string, id: string): Promise<void> {
  await (await getStore()).records.delete(collection(userLogin), id);
}

export function emptyStatus(): Pop3AccountStatus {
  return { lastRunAt: null, lastFetched: 0, totalFetched: 0, tooLarge: [], lastError: null, nextRunAt: null };
}

export type { Pop3AccountInput };
