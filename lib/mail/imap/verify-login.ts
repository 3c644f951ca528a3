import "server-only";
import { createImapClient } from "./connect";
import { toAppError } from "./to-app-error";

/**
 * Checks a login against the IMAP server without keeping the connection (imapflow's verifyOnly
 * logs out right after authenticating). Throws WRONG_CREDENTIALS, LOGIN_THROTTLED or
 * MAIL_SERVER_UNREACHABLE; those are three different messages on the sign-in page.
 */
export async function verifyLogin(login: string, password: string): Promise<void> {
  const client = createImapClient(login, password, { verifyOnly: true });
  client.on("error", () => {
    // The rejection of connect() reports it; this listener only keeps the process alive.
  });
  try {
    await client.connect();
  } catch (error) {
    throw toAppError(error);
  } finally {
    client.close();
  }
}
