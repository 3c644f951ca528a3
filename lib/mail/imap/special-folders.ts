import "server-only";
import type { ImapFlow, ListResponse } from "imapflow";
import type { FolderRole } from "@/lib/mail/types";

export type SpecialRole = Exclude<FolderRole, "inbox">;

// RFC 6154 special-use attributes.
const SPECIAL_USE: Record<SpecialRole, string> = {
  drafts: "\\Drafts",
  sent: "\\Sent",
  archive: "\\Archive",
  junk: "\\Junk",
  trash: "\\Trash",
};

// Servers without SPECIAL-USE still tend to use one of these names (Outlook, Apple Mail, Gmail).
const COMMON_NAMES: Record<SpecialRole, string[]> = {
  drafts: ["Drafts", "Draft"],
  sent: ["Sent", "Sent Items", "Sent Messages", "Sent Mail"],
  archive: ["Archive", "Archives"],
  junk: ["Junk", "Spam", "Junk E-mail", "Junk Email", "Bulk Mail"],
  trash: ["Trash", "Deleted Items", "Deleted Messages", "Bin"],
};

function byRole(entries: ListResponse[], role: SpecialRole): ListResponse | undefined {
  const flagged = entries.find((e) => e.specialUse === SPECIAL_USE[role] || e.flags.has(SPECIAL_USE[role]));
  if (flagged) return flagged;
  const names = new Set(COMMON_NAMES[role].map((n) => n.toLowerCase()));
  // Only top-level folders (or the INBOX-prefixed ones of servers with an "INBOX." namespace).
  return entries.find(
    (e) => names.has(e.name.toLowerCase()) && (!e.parentPath || e.parentPath.toUpperCase() === "INBOX"),
  );
}

/**
 * The path of the account's folder for `role`: by its special-use flag, else by a common name.
 * With `create`, a server that has none gets one on first use (in the personal namespace), so
 * sending, archiving or deleting never fails for want of a folder.
 */
export async function findSpecialFolder(client: ImapFlow, role: SpecialRole, options: { create: true }): Promise<string>;
export async function findSpecialFolder(client: ImapFlow, role: SpecialRole, options?: { create?: boolean }): Promise<string | null>;
export async function findSpecialFolder(
  client: ImapFlow,
  role: SpecialRole,
  options: { create?: boolean } = {},
): Promise<string | null> {
  const found = byRole(await client.list(), role);
  if (found) return found.path;
  if (!options.create) return null;
  const name = COMMON_NAMES[role][0] ?? role;
  // An array makes imapflow add the personal namespace prefix and the server's delimiter.
  const created = await client.mailboxCreate([name]);
  await client.mailboxSubscribe(created.path).catch(() => undefined);
  return created.path;
}

/**
 * Paths of the folders that must not be renamed, moved or deleted: INBOX (RFC 3501 §6.3.4 forbids
 * deleting it) and every special-use folder, found as findSpecialFolder finds them.
 */
export function specialFolderPaths(entries: ListResponse[]): Set<string> {
  const paths = new Set<string>(entries.filter((e) => e.path.toUpperCase() === "INBOX").map((e) => e.path));
  paths.add("INBOX");
  for (const role of Object.keys(SPECIAL_USE) as SpecialRole[]) {
    const found = byRole(entries, role);
    if (found) paths.add(found.path);
  }
  return paths;
}
