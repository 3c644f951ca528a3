import "server-only";
import type { MessageRefData } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { withMailbox } from "./pool";

/**
 * Flags the original of a reply \Answered (RFC 3501 system flag) or of a forward $Forwarded (the
 * keyword registered in RFC 5788's registry, used by Thunderbird and Apple Mail), so every client
 * shows it was dealt with. A server that refuses keywords in the folder just gets no $Forwarded.
 */
export async function markAnswered(account: MailAccount, ref: MessageRefData, mode: "reply" | "forward"): Promise<void> {
  await withMailbox(
    account,
    ref.folder,
    async ({ client, mailbox }) => {
      const flag = mode === "reply" ? "\\Answered" : "$Forwarded";
      const permanent = mailbox.permanentFlags;
      if (mode === "forward" && permanent && !permanent.has("\\*") && !permanent.has(flag)) return;
      await client.messageFlagsAdd(String(ref.uid), [flag], { uid: true });
    },
    { expectedUidValidity: ref.uidValidity },
  );
}
