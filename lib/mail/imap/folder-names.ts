import "server-only";
import { AppError } from "@/lib/errors";

// Characters no folder name may hold: LIST wildcards (RFC 3501 §6.3.8 gives "*" and "%" meaning in
// mailbox patterns, so such a folder could never be listed on its own) and control characters.
const FORBIDDEN = /[*%\u0000-\u001f\u007f]/;

/**
 * Checks one level of a folder name. Modified UTF-7 (RFC 3501 §5.1.3) is imapflow's job, so any
 * Unicode is fine; the hierarchy delimiter is not, because the server would read it as nesting.
 */
export function checkFolderName(name: string, delimiter: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new AppError("FOLDER_NAME_INVALID", "Give the folder a name.");
  if (delimiter && trimmed.includes(delimiter)) {
    throw new AppError(
      "FOLDER_NAME_HAS_DELIMITER",
      `Folder names cannot contain "${delimiter}": this server uses it to separate folders. Choose another name, or create the folder inside another one.`,
    );
  }
  if (FORBIDDEN.test(trimmed)) {
    throw new AppError("FOLDER_NAME_INVALID", 'Folder names cannot contain "*", "%" or control characters.');
  }
  if (trimmed.toUpperCase() === "INBOX") throw new AppError("FOLDER_EXISTS", "INBOX is reserved. Choose another name.");
  return trimmed;
}

/** The full path of `name` inside `parentPath`, or at the top of the personal namespace. */
export function childPath(parentPath: string | null, name: string, delimiter: string, namespacePrefix = ""): string {
  return parentPath ? `${parentPath}${delimiter}${name}` : `${namespacePrefix}${name}`;
}

/** True when `path` is `ancestor` or lies below it. */
export function isSameOrInside(path: string, ancestor: string, delimiter: string): boolean {
  return path === ancestor || (!!delimiter && path.startsWith(ancestor + delimiter));
}
