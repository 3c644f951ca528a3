import "server-only";
import type { ImapFlow, ListResponse } from "imapflow";
import { AppError } from "@/lib/errors";
import { isSameOrInside } from "./folder-names";
import { specialFolderPaths } from "./special-folders";

export interface FolderLookup {
  entries: ListResponse[];
  entry: ListResponse;
  /** Existing folders strictly inside this one (placeholders that only hold names excluded). */
  children: ListResponse[];
  isSpecial: boolean;
}

const exists = (e: ListResponse) => !e.flags.has("\\NonExistent");

/**
 * The server's own view of one folder, read fresh for a change: another client may have renamed
 * or removed it since the browser last listed folders, so nothing is decided from the browser's copy.
 */
export async function findFolder(client: ImapFlow, path: string): Promise<FolderLookup> {
  const entries = await client.list();
  const entry = entries.find((e) => e.path === path && exists(e));
  if (!entry) throw new AppError("FOLDER_NOT_FOUND");
  const children = entries.filter((e) => e.path !== path && isSameOrInside(e.path, path, entry.delimiter) && exists(e));
  return { entries, entry, children, isSpecial: specialFolderPaths(entries).has(entry.path) };
}

/** Refuses to change Inbox and the special-use folders (the UI hides the controls; this is the rule). */
export function assertNotSpecial(lookup: FolderLookup): void {
  if (lookup.isSpecial) throw new AppError("FOLDER_PROTECTED");
}
