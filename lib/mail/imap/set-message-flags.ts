import "server-only";
import type { MailAccount } from "./account";
import type { MessageRef } from "./get-message";
import { withMailbox } from "./pool";

export interface FlagChange {
  seen?: boolean;
  flagged?: boolean;
}

/** Sets or clears \Seen and \Flagged on one message; a repeat is harmless, so the pool may retry it. */
export async function setMessageFlags(account: MailAccount, ref: MessageRef, change: FlagChange): Promise<void> {
  await withMailbox(
    account,
    ref.folder,
    async ({ client }) => {
      const add: string[] = [];
      const remove: string[] = [];
      if (change.seen !== undefined) (change.seen ? add : remove).push("\\Seen");
      if (change.flagged !== undefined) (change.flagged ? add : remove).push("\\Flagged");
      if (add.length) await client.messageFlagsAdd(String(ref.uid), add, { uid: true });
      if (remove.length) await client.messageFlagsRemove(String(ref.uid), remove, { uid: true });
    },
    { expectedUidValidity: ref.uidValidity },
  );
}
