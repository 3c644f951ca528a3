import "server-only";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "./account";
import { withImapClient, withMailbox } from "./pool";
import { findSpecialFolder } from "./special-folders";

/**
 * Deletes every message in Trash for good: \Deleted on UID 1:*, then UID EXPUNGE (RFC 4315) or,
 * without UIDPLUS, EXPUNGE — which in Trash removes nothing the user did not ask to remove: every
 * message there is marked, and one that arrives after the STORE is not.
 */
export async function emptyTrash(account: MailAccount): Promise<{ deleted: number }> {
  const trash = await withImapClient(account, (client) => findSpecialFolder(client, "trash", { create: true }));
  return withMailbox(account, trash, async ({ client, mailbox }) => {
    if (mailbox.exists === 0) return { deleted: 0 };
    const count = mailbox.exists;
    if (!(await client.messageDelete("1:*", { uid: true }))) throw new AppError("MAIL_SERVER_ERROR");
    return { deleted: count };
  });
}
