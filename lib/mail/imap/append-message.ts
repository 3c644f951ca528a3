import "server-only";
import { AppError } from "@/lib/errors";
import type { MessageRefData } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { withImapClient } from "./pool";
import { findSpecialFolder } from "./special-folders";

/**
 * Files raw message bytes in the account's Sent or Drafts folder (found by special use, created on
 * first use) with the given flags, and returns where it landed. The UID comes from APPENDUID
 * (RFC 4315 UIDPLUS); a server without it gets the UID looked up by Message-ID.
 */
export async function appendToSpecialFolder(
  account: MailAccount,
  role: "sent" | "drafts",
  raw: Buffer,
  flags: string[],
  messageId: string,
): Promise<MessageRefData> {
  return withImapClient(
    account,
    async (client) => {
      const folder = await findSpecialFolder(client, role, { create: true });
      const result = await client.append(folder, raw, flags, new Date());
      if (!result) throw new AppError("MAIL_SERVER_ERROR");
      if (result.uid && result.uidValidity !== undefined) {
        return { folder, uidValidity: result.uidValidity.toString(), uid: result.uid };
      }
      const lock = await client.getMailboxLock(folder);
      try {
        const uids = (await client.search({ header: { "message-id": messageId } }, { uid: true })) || [];
        const uid = uids[uids.length - 1];
        if (!uid || !client.mailbox) throw new AppError("MAIL_SERVER_ERROR");
        return { folder, uidValidity: client.mailbox.uidValidity.toString(), uid };
      } finally {
        lock.release();
      }
    },
    // Not repeatable: a repeated APPEND would file the message twice.
    { repeatable: false },
  );
}
