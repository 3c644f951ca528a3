import "server-only";
import { cookies } from "next/headers";
import { getToken } from "next-auth/jwt";
import { serverConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";
import { readCredentials } from "./credential-store";

/**
 * The signed-in mailbox of the current request, from the encrypted session cookie plus the
 * credential entry in the store it unlocks. Throws UNAUTHENTICATED when either is missing (signed
 * out, expired), and STORE_UNAVAILABLE when the store cannot be read.
 */
export async function currentMailAccount(): Promise<MailAccount> {
  const store = await cookies();
  const req = { cookies: Object.fromEntries(store.getAll().map((c) => [c.name, c.value])), headers: {} };
  const token = await getToken({ req: req as never, secret: serverConfig().authSecret });
  const sid = typeof token?.sid === "string" ? token.sid : null;
  const key = typeof token?.key === "string" ? token.key : null;
  const credentials = sid && key ? await readCredentials(sid, key) : null;
  if (!sid || !credentials) throw new AppError("UNAUTHENTICATED");
  return { key: sid, login: credentials.login, password: credentials.password };
}

/** For pages: the signed-in address, or null (the page redirects to sign-in). */
export async function currentLogin(): Promise<string | null> {
  try {
    return (await currentMailAccount()).login;
  } catch {
    return null;
  }
}
