import "server-only";
import { isAppError } from "@/lib/errors";
import { isPop3Error } from "@/lib/mail/pop3";
import type { FetchProblem } from "./types";

/**
 * A failure in the words the account's status shows: the POP3 side by its own codes (wrong
 * password, unreachable, certificate, refused with the server's text), the IMAP side as the
 * destination mailbox's problem. Nothing else is described: an unknown error is only "unknown".
 */
export function describeFetchProblem(error: unknown): FetchProblem {
  if (isPop3Error(error)) return { code: error.code, message: error.message };
  if (isAppError(error)) {
    return { code: `IMAP_${error.code}`, message: `Your mailbox could not store the fetched mail: ${error.message}` };
  }
  return { code: "UNKNOWN", message: "An unknown error stopped the fetch. It will be tried again." };
}
