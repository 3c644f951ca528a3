import "server-only";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "./account";
import { withImapClient, withMailbox } from "./pool";
import { findSpecialFolder } from "./special-folders";

/** Deletes every message in Trash for good: \Deleted on UID 1:* and UID EXPUNGE (RFC 4315). */
export async function emptyTrash(account: MailAccount): Promise<{ deleted: number }> {
  const trash = await withImapClient(account, (client) => findSpecialFolder(client, "trash", { create: true }));
  return withMailbox(account, trash, async ({ client, mailbox }) => {
    if (mailbox.exists === 0) return { deleted: 0 };
    // Everything in Trash is what the user asked to delete, but UIDPLUS is still required so that a
    // failure halfway cannot be followed by a plain EXPUNGE of another client's \Deleted messages.
    if (!client.capabilities.has("UIDPLUS")) throw new AppError("UIDPLUS_REQUIRED");
    const count = mailbox.exists;
    if (!(await client.messageDelete("1:*", { uid: true }))) throw new AppError("MAIL_SERVER_ERROR");
    return { deleted: count };
  });
}
