import "server-only";
import type { MailAccount } from "./account";
import { checkFolderName } from "./folder-names";
import { withImapClient } from "./pool";

/**
 * Makes sure a folder exists, creating (and subscribing) it when missing; an existing one is left
 * as it is. For destinations chosen by path, such as the folder a POP3 account fetches into.
 * A missing path gets the personal namespace's prefix (RFC 2342) when it lacks it, and every level
 * of it must be a valid folder name; the answer names the path the folder has on the server.
 */
export async function ensureFolder(account: MailAccount, path: string): Promise<{ created: boolean; path: string }> {
  return withImapClient(account, async (client) => {
    const existing = await client.list();
    if (existing.some((entry) => entry.path === path)) return { created: false, path };
    const delimiter = client.namespace?.delimiter ?? "/";
    const prefix = client.namespace?.prefix ?? "";
    const full = prefix && !path.startsWith(prefix) ? prefix + path : path;
    if (full !== path && existing.some((entry) => entry.path === full)) return { created: false, path: full };
    // The delimiter separates levels here (a path, not a name): each level is checked on its own.
    for (const level of full.slice(prefix.length).split(delimiter)) checkFolderName(level, "");
    // imapflow reports an existing folder (RFC 5530 ALREADYEXISTS) as created: false, not an error,
    // so a repeat after a dropped connection is harmless.
    const result = await client.mailboxCreate(full);
    return { created: result.created, path: result.path || full };
  });
}
