import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { serverConfig } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { purgeListCache } from "@/lib/mail/cache/purge-list-cache";
import { closeAccountConnections } from "@/lib/mail/imap/pool";
import { verifyLogin, type VerifiedLogin } from "@/lib/mail/imap/verify-login";
import { signInSchema } from "@/lib/mail/schemas";
import { forgetCredentials, saveCredentials } from "./credential-store";
import { isThrottled, recordFailure, recordSuccess } from "./login-throttle";

export const SESSION_MAX_AGE_S = 12 * 60 * 60;

function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  return first || "unknown";
}

/**
 * The error codes the sign-in page turns into messages. next-auth hands the thrown message to the
 * page as `error`, so only these codes ever reach the browser.
 */
export type SignInErrorCode = "WRONG_CREDENTIALS" | "LOGIN_THROTTLED" | "MAIL_SERVER_UNREACHABLE" | "STORE_UNAVAILABLE" | "UNKNOWN";

/** Sign-in with the store unavailable says so, rather than "unknown"; nothing was kept. */
async function authorize(raw: Record<string, string> | undefined, headers: Record<string, unknown> | undefined) {
  try {
    return await authorizeWithStore(raw, headers);
  } catch (error) {
    if (isAppError(error) && error.code === "STORE_UNAVAILABLE") throw new Error("STORE_UNAVAILABLE" satisfies SignInErrorCode);
    throw error;
  }
}

async function authorizeWithStore(raw: Record<string, string> | undefined, headers: Record<string, unknown> | undefined) {
  const parsed = signInSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error("WRONG_CREDENTIALS" satisfies SignInErrorCode);
  const { email, password } = parsed.data;
  const address = clientAddress(headers);
  if (await isThrottled(email, address)) throw new Error("LOGIN_THROTTLED" satisfies SignInErrorCode);
  let verified: VerifiedLogin;
  try {
    verified = await verifyLogin(email, password);
  } catch (error) {
    const code: SignInErrorCode =
      isAppError(error) && ["WRONG_CREDENTIALS", "LOGIN_THROTTLED", "MAIL_SERVER_UNREACHABLE"].includes(error.code)
        ? (error.code as SignInErrorCode)
        : "UNKNOWN";
    if (code === "WRONG_CREDENTIALS") await recordFailure(email, address);
    if (code === "UNKNOWN") console.error("[letterbox] sign-in failed unexpectedly:", (error as Error)?.name);
    throw new Error(code);
  }
  try {
    await recordSuccess(email);
    const stored = await saveCredentials(email, password, SESSION_MAX_AGE_S * 1000);
    // The connection that checked the password serves the session's first page.
    verified.keep({ key: stored.sessionId, login: email, password });
    return { id: stored.sessionId, email, sessionKey: stored.key };
  } finally {
    verified.drop();
  }
}

export function authOptions(): NextAuthOptions {
  return {
    secret: serverConfig().authSecret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Mailbox",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, req) => authorize(credentials, req?.headers),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const u = user as { id: string; email: string; sessionKey: string };
          token.sid = u.id;
          token.key = u.sessionKey;
          token.email = u.email;
        }
        return token;
      },
      // What /api/auth/session shows the browser: the address, never the session id or key.
      session({ session, token }) {
        return { expires: session.expires, user: { email: token.email ?? null } };
      },
    },
    events: {
      async signOut({ token }) {
        const sid = typeof token?.sid === "string" ? token.sid : null;
        if (!sid) return;
        const forgotten = await forgetCredentials(sid);
        await closeAccountConnections(sid);
        // Nothing of a user's mail stays cached once their last session has signed out.
        if (forgotten && forgotten.otherSessions === 0) await purgeListCache(forgotten.login);
      },
    },
    logger: {
      // next-auth's default logger prints error objects, which can carry the submitted credentials.
      error: (code) => console.error(`[letterbox] auth error: ${code}`),
      warn: (code) => (code === "NEXTAUTH_URL" ? undefined : console.warn(`[letterbox] auth warning: ${code}`)),
      debug: () => undefined,
    },
  };
}

export { AppError };
