import "server-only";
import type { MessageRefData } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { withMailbox } from "./pool";

/**
 * Removes a superseded or sent draft. Only a message flagged \Draft is removed, so a stale or crafted
 * reference can never delete real mail; a draft already gone (deleted in another client) is fine.
 * messageDelete uses UID EXPUNGE (RFC 4315) and so leaves other \Deleted messages alone.
 */
export async function deleteDraft(account: MailAccount, ref: MessageRefData): Promise<boolean> {
  return withMailbox(
    account,
    ref.folder,
    async ({ client }) => {
      const message = await client.fetchOne(String(ref.uid), { uid: true, flags: true }, { uid: true });
      if (!message || !message.flags?.has("\\Draft")) return false;
      await client.messageDelete(String(ref.uid), { uid: true });
      return true;
    },
    { expectedUidValidity: ref.uidValidity },
  );
}
