import "server-only";
import { createImapClient } from "./connect";
import { connectWithinServerLimit } from "./pool";

/**
 * Checks a login against the IMAP server without keeping the connection (imapflow's verifyOnly
 * logs out right after authenticating). Throws WRONG_CREDENTIALS, LOGIN_THROTTLED or
 * MAIL_SERVER_UNREACHABLE; those are three different messages on the sign-in page.
 */
export async function verifyLogin(login: string, password: string): Promise<void> {
  const client = await connectWithinServerLimit(login, () => createImapClient(login, password, { verifyOnly: true }));
  client.close();
}
