import "server-only";
import type { MailAccount } from "./account";
import { withImapClient } from "./pool";

/**
 * Makes sure a folder exists, creating (and subscribing) it when missing; an existing one is left
 * as it is. For destinations chosen by path, such as the folder a POP3 account fetches into.
 */
export async function ensureFolder(account: MailAccount, path: string): Promise<{ created: boolean }> {
  return withImapClient(account, async (client) => {
    const existing = await client.list();
    if (existing.some((entry) => entry.path === path)) return { created: false };
    // imapflow reports an existing folder (RFC 5530 ALREADYEXISTS) as created: false, not an error,
    // so a repeat after a dropped connection is harmless.
    const result = await client.mailboxCreate(path);
    return { created: result.created };
  });
}
