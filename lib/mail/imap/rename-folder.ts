import "server-only";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "./account";
import { assertNotSpecial, findFolder } from "./find-folder";
import { checkFolderName, childPath, isSameOrInside } from "./folder-names";
import { withImapClient } from "./pool";

/**
 * Renames a folder, moves it under another parent, or both: one RENAME (RFC 3501 §6.3.5), which
 * takes the folder's subfolders along. Subscriptions are not part of RENAME (Dovecot leaves them on
 * the old names), so the subscribed ones are carried over to the new names here.
 */
export async function renameFolder(
  account: MailAccount,
  input: { path: string; name?: string; parentPath?: string | null },
): Promise<{ path: string }> {
  return withImapClient(
    account,
    async (client) => {
      const lookup = await findFolder(client, input.path);
      assertNotSpecial(lookup);
      const { entry } = lookup;
      const delimiter = entry.delimiter;
      const parentPath = input.parentPath === undefined ? entry.parentPath || null : input.parentPath;
      if (parentPath) {
        if (isSameOrInside(parentPath, entry.path, delimiter)) throw new AppError("FOLDER_MOVE_INVALID");
        await findFolder(client, parentPath);
      }
      const name = input.name === undefined ? entry.name : checkFolderName(input.name, delimiter);
      const newPath = childPath(parentPath, name, delimiter, client.namespace?.prefix ?? "");
      if (newPath === entry.path) return { path: newPath };
      if (lookup.entries.some((e) => e.path === newPath && !e.flags.has("\\NonExistent")))
        throw new AppError("FOLDER_EXISTS");

      await client.mailboxRename(entry.path, newPath);

      const subscribed = [entry, ...lookup.children].filter((e) => e.subscribed);
      for (const old of subscribed) {
        const moved = newPath + old.path.slice(entry.path.length);
        await client.mailboxSubscribe(moved);
        await client.mailboxUnsubscribe(old.path).catch(() => undefined);
      }
      return { path: newPath };
    },
    // Not repeatable: a repeated RENAME would find the old name gone and report a failure that was a success.
    { repeatable: false },
  );
}
