import "server-only";
import type { Folder } from "@/lib/mail/types";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "./account";
import { findFolder } from "./find-folder";
import { checkFolderName, childPath } from "./folder-names";
import { withImapClient } from "./pool";

/**
 * Creates a folder at the top level or inside `parentPath`, and subscribes to it (imapflow does,
 * after CREATE) so that every client that shows subscribed folders shows it.
 */
export async function createFolder(
  account: MailAccount,
  input: { name: string; parentPath: string | null },
): Promise<Pick<Folder, "path" | "name" | "parentPath">> {
  return withImapClient(
    account,
    async (client) => {
      let delimiter = client.namespace?.delimiter ?? "/";
      if (input.parentPath) delimiter = (await findFolder(client, input.parentPath)).entry.delimiter;
      const name = checkFolderName(input.name, delimiter);
      const path = childPath(input.parentPath, name, delimiter, client.namespace?.prefix ?? "");
      const result = await client.mailboxCreate(path);
      // imapflow reports an existing folder (RFC 5530 ALREADYEXISTS) as created: false, not as an error.
      if (!result.created) throw new AppError("FOLDER_EXISTS");
      return { path: result.path, name, parentPath: input.parentPath };
    },
    // Not repeatable: a repeated CREATE would report "already exists" for the folder it just made.
    { repeatable: false },
  );
}
