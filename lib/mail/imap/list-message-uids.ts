import "server-only";
import type { FolderUids, MessageSortKey, SortOrder } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { withMailbox } from "./pool";
import { sortSupport, sortUids } from "./sort-uids";

/**
 * Every UID of a folder in the list's order (see listMessages), for "select all in folder". One
 * UID SORT where the server sorts (ESORT answers compactly, RFC 5267), else one UID SEARCH ALL
 * (ESEARCH answers compactly where offered, RFC 4731) in arrival order; the browser then acts on
 * these in batches, so a message that arrives meanwhile is never swept up in an action the user
 * did not see it in.
 */
export async function listMessageUids(
  account: MailAccount,
  folder: string,
  options: { sort?: MessageSortKey; order?: SortOrder } = {},
): Promise<FolderUids> {
  const wanted = options.sort ?? "date";
  const order = options.order ?? "desc";
  return withMailbox(account, folder, async ({ client, mailbox, uidValidity }) => {
    let uids: number[];
    if (wanted !== "arrival" && sortSupport(client.capabilities).sort) {
      uids = mailbox.exists ? await sortUids(client, { key: wanted, exists: mailbox.exists }) : [];
    } else {
      uids = [...((await client.search({ all: true }, { uid: true })) || [])].sort((a, b) => a - b);
    }
    if (order === "desc") uids.reverse();
    return { folder, uidValidity, uids };
  });
}
