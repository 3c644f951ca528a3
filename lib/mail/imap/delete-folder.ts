import "server-only";
import { AppError } from "@/lib/errors";
import type { DeleteFolderResult } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { assertNotSpecial, findFolder } from "./find-folder";
import { withImapClient, withMailbox } from "./pool";
import { findSpecialFolder } from "./special-folders";

/**
 * Deletes a folder. Unless `permanent`, its messages are first moved to Trash (UID MOVE, RFC 6851),
 * and the folder is deleted only when every one of them arrived there: a failed move leaves the
 * folder and its messages as they were. Folders with subfolders are refused, because servers differ
 * on what DELETE does to them (RFC 3501 §6.3.4 lets them keep the name as \Noselect).
 */
export async function deleteFolder(
  account: MailAccount,
  input: { path: string; permanent: boolean },
): Promise<DeleteFolderResult> {
  const { trash } = await withImapClient(account, async (client) => {
    const lookup = await findFolder(client, input.path);
    assertNotSpecial(lookup);
    if (lookup.children.length > 0) throw new AppError("FOLDER_HAS_CHILDREN");
    // A \Noselect folder holds no messages (RFC 3501 §7.2.2): nothing to move, and it cannot be selected.
    const holdsMessages = !lookup.entry.flags.has("\\Noselect");
    return { trash: input.permanent || !holdsMessages ? null : await findSpecialFolder(client, "trash", { create: true }) };
  });

  let movedToTrash = 0;
  if (trash) {
    movedToTrash = await withMailbox(account, input.path, async ({ client }) => {
      const exists = () => (client.mailbox ? client.mailbox.exists : 0);
      let moved = 0;
      // Mail may arrive while the folder is emptied: look again (NOOP) before it is deleted, so
      // that nothing that came in meanwhile is deleted with it.
      for (let round = 0; round < 3 && exists() > 0; round++) {
        const before = exists();
        // "1:*" by UID: every message, however many, in one command.
        const result = await client.messageMove("1:*", trash, { uid: true });
        if (!result) throw new AppError("MOVE_FAILED");
        moved += result.uidMap?.size ?? before;
        await client.noop();
      }
      if (exists() > 0) throw new AppError("MOVE_FAILED", "New messages keep arriving in this folder. Try deleting it again.");
      return moved;
    });
  }

  await withImapClient(account, async (client) => {
    await client.mailboxDelete(input.path);
    // Some servers keep the subscription of a deleted folder (RFC 3501 §6.3.9 does not tie them).
    await client.mailboxUnsubscribe(input.path).catch(() => undefined);
  });
  return { path: input.path, movedToTrash };
}
