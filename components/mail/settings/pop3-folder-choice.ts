// The destination folder of a POP3 account as the form holds it: pure rules, tested on their own.
import type { Folder } from "@/lib/mail/types";

/** The select's value for "a new folder": never a folder's path (paths are never empty). */
export const NEW = "";

// Folders fetched mail should not land in: what the user wrote, what they threw away.
export const UNSUITABLE = new Set<Folder["role"]>(["drafts", "sent", "trash"]);

export interface FolderChoice {
  /** A folder's path, or "" for a new folder. */
  selected: string;
  /** The new folder's name as typed, or null while it follows the account's name. */
  typedName: string | null;
}

export function initialFolderChoice(folder: string): FolderChoice {
  return { selected: folder, typedName: null };
}

/** A new folder named after the account: the login when it is an address, else login@host. */
export function defaultFolderName(login: string, host: string, delimiter: string): string {
  const trimmed = login.trim();
  const base = trimmed.includes("@") || !host.trim() ? trimmed : `${trimmed}@${host.trim()}`;
  // The hierarchy delimiter would nest the folder: with "." as delimiter, "a@b.c" would be "c" inside "a@b".
  return delimiter ? base.split(delimiter).join("-") : base;
}

/**
 * What the choice means once the folders are known: a folder saved earlier that no longer exists
 * becomes a new folder of the same name, so saving recreates it rather than a fetch failing later.
 */
export function resolveChoice(choice: FolderChoice, folders: Folder[] | null): FolderChoice {
  if (folders === null || choice.selected === NEW || folders.some((f) => f.path === choice.selected)) return choice;
  return { selected: NEW, typedName: choice.selected };
}

/** The path to save: the chosen folder, or the new folder's name (the server creates it on Save). */
export function chosenFolder(choice: FolderChoice, defaultName: string): string {
  return choice.selected === NEW ? (choice.typedName ?? defaultName).trim() : choice.selected;
}
