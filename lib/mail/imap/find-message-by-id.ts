import "server-only";
import type { MailAccount } from "./account";
import { withMailbox } from "./pool";
import { fetchRows } from "./fetch-rows";

/**
 * Whether a folder holds a message with this Message-ID and exactly this size (RFC822.SIZE):
 * how a fetcher that stopped between APPEND and writing down its success finds out which it was.
 */
export async function hasMessageWithId(account: MailAccount, folder: string, messageId: string, size: number): Promise<boolean> {
  return withMailbox(account, folder, async ({ client }) => {
    const uids = (await client.search({ header: { "message-id": messageId } }, { uid: true })) || [];
    if (uids.length === 0) return false;
    return (await fetchRows(client, uids, { uid: true, size: true }, { uid: true })).some((message) => message.size === size);
  });
}
