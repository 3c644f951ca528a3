import "server-only";
import { connectForSignIn } from "./pool";

/** A login the IMAP server accepted, on a connection its session keeps or the caller drops. */
export type VerifiedLogin = Awaited<ReturnType<typeof connectForSignIn>>;

/**
 * Checks a login against the IMAP server by logging in. Throws WRONG_CREDENTIALS, LOGIN_THROTTLED
 * or MAIL_SERVER_UNREACHABLE; those are three different messages on the sign-in page. The
 * connection is not closed: `keep(account)` gives it to the new session's pool (its first page
 * then opens none), `drop()` logs it out when the sign-in goes no further.
 */
export async function verifyLogin(login: string, password: string): Promise<VerifiedLogin> {
  return connectForSignIn(login, password);
}
