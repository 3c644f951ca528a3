import "server-only";
import type { ListResponse } from "imapflow";
import type { Folder, FolderRole } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { withImapClient } from "./pool";

// RFC 6154 special-use flags; imapflow also infers them from well-known names when the server has none.
const ROLE_BY_SPECIAL_USE: Record<string, FolderRole> = {
  "\\Inbox": "inbox",
  "\\Drafts": "drafts",
  "\\Sent": "sent",
  "\\Archive": "archive",
  "\\Junk": "junk",
  "\\Trash": "trash",
};

const ROLE_ORDER: FolderRole[] = ["inbox", "drafts", "sent", "archive", "junk", "trash"];

function roleOf(entry: ListResponse): FolderRole | null {
  if (entry.path.toUpperCase() === "INBOX") return "inbox";
  return (entry.specialUse && ROLE_BY_SPECIAL_USE[entry.specialUse]) || null;
}

function rank(folder: Folder): number {
  // Special-use folders lead only at the top level; nested ones sort with their siblings.
  if (folder.role && folder.parentPath === null) return ROLE_ORDER.indexOf(folder.role);
  return ROLE_ORDER.length;
}

/** Orders folders as a tree, depth first: roles first at the top, then by name. */
export function orderFolderTree(folders: Folder[]): Folder[] {
  const children = new Map<string | null, Folder[]>();
  const paths = new Set(folders.map((f) => f.path));
  for (const folder of folders) {
    // A child whose parent is not listed (unsubscribed, or \NonExistent) is shown at the top level.
    const parent = folder.parentPath && paths.has(folder.parentPath) ? folder.parentPath : null;
    const list = children.get(parent) ?? [];
    list.push(parent === folder.parentPath ? folder : { ...folder, parentPath: null });
    children.set(parent, list);
  }
  const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  const out: Folder[] = [];
  const visit = (parent: string | null) => {
    const list = (children.get(parent) ?? []).sort((a, b) => rank(a) - rank(b) || collator.compare(a.name, b.name));
    for (const folder of list) {
      out.push(folder);
      visit(folder.path);
    }
  };
  visit(null);
  return out;
}

/**
 * The parent as the user sees it. On a server whose personal namespace has a prefix (RFC 2342
 * NAMESPACE, e.g. "INBOX." on Courier or Cyrus), "INBOX.Drafts" is a top-level folder for the user,
 * not a child of INBOX: the prefix is never shown.
 */
export function topLevelParent(parentPath: string | undefined, delimiter: string, prefix: string): string | null {
  if (!parentPath) return null;
  return prefix && parentPath + delimiter === prefix ? null : parentPath;
}

/**
 * The account's folders with message and unread counts, in display order. One LIST command with
 * RETURN (STATUS ...) where the server has LIST-STATUS (RFC 5819); imapflow falls back to a STATUS
 * per folder otherwise. Unsubscribed folders only with `includeUnsubscribed`.
 */
export async function listFolders(
  account: MailAccount,
  options: { includeUnsubscribed?: boolean } = {},
): Promise<Folder[]> {
  const { entries, prefix } = await withImapClient(account, async (client) => {
    // A folder still selected on this pooled connection is answered from the connection's own
    // view, which does not see other clients' changes until its next command (Dovecot answers
    // STATUS of the selected mailbox so; RFC 3501 §6.3.10 warns of it): NOOP brings it up to date.
    if (client.mailbox) await client.noop();
    return {
      entries: await client.list({ statusQuery: { messages: true, unseen: true } }),
      prefix: client.namespace?.prefix ?? "",
    };
  });
  const folders: Folder[] = entries.map((entry) => ({
    path: entry.path,
    name: entry.name,
    delimiter: entry.delimiter,
    parentPath: topLevelParent(entry.parentPath, entry.delimiter, prefix),
    role: roleOf(entry),
    total: entry.status?.messages ?? 0,
    unread: entry.status?.unseen ?? 0,
    subscribed: entry.subscribed === true,
    selectable: !entry.flags.has("\\Noselect") && !entry.flags.has("\\NonExistent"),
  }));
  // The tree shows what the user subscribed to (as other clients do); "Manage folders" shows all.
  const shown = options.includeUnsubscribed ? folders : folders.filter((f) => f.subscribed || f.role === "inbox");
  return orderFolderTree(shown);
}
