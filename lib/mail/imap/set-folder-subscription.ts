import "server-only";
import type { MailAccount } from "./account";
import { findFolder } from "./find-folder";
import { withImapClient } from "./pool";

/** SUBSCRIBE / UNSUBSCRIBE (RFC 3501 §6.3.6–7): which folders the tree shows, on every client. */
export async function setFolderSubscription(
  account: MailAccount,
  input: { path: string; subscribed: boolean },
): Promise<void> {
  await withImapClient(account, async (client) => {
    await findFolder(client, input.path);
    if (input.subscribed) await client.mailboxSubscribe(input.path);
    else await client.mailboxUnsubscribe(input.path);
  });
}
