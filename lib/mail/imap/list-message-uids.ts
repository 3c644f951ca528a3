import "server-only";
import type { FolderUids } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { withMailbox } from "./pool";

/**
 * Every UID of a folder, newest first, for "select all in folder". One UID SEARCH ALL (ESEARCH
 * answers compactly where offered, RFC 4731); the browser then acts on these in batches, so a
 * message that arrives meanwhile is never swept up in an action the user did not see it in.
 */
export async function listMessageUids(account: MailAccount, folder: string): Promise<FolderUids> {
  return withMailbox(account, folder, async ({ client, uidValidity }) => {
    const uids = (await client.search({ all: true }, { uid: true })) || [];
    return { folder, uidValidity, uids: [...uids].sort((a, b) => b - a) };
  });
}
