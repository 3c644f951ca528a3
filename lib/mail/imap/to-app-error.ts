import "server-only";
import { AppError, isAppError } from "@/lib/errors";

interface ImapErrorLike {
  code?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseText?: string;
}

const CONNECTION_CODES = new Set([
  "NoConnection",
  "EConnectionClosed",
  "ClosedAfterConnectText",
  "ClosedAfterConnectTLS",
  "CONNECT_TIMEOUT",
  "GREETING_TIMEOUT",
  "UPGRADE_TIMEOUT",
  "ETIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ETIMEDOUT",
]);

// RFC 5530 response codes that mean "not now" rather than "wrong password".
const TEMPORARY_LOGIN_CODES = new Set(["UNAVAILABLE", "LIMIT", "INUSE", "SERVERBUG"]);

export function isConnectionError(error: unknown): boolean {
  const e = error as ImapErrorLike | null;
  return !!e && typeof e === "object" && typeof e.code === "string" && CONNECTION_CODES.has(e.code);
}

/** Maps what imapflow throws to the app's deliberate errors; anything unrecognised stays as it is. */
export function toAppError(error: unknown): unknown {
  if (isAppError(error)) return error;
  const e = error as ImapErrorLike | null;
  if (!e || typeof e !== "object") return error;
  if (isConnectionError(e)) return new AppError("MAIL_SERVER_UNREACHABLE", undefined, { cause: error });
  if (e.code === "ETHROTTLE") return new AppError("LOGIN_THROTTLED", undefined, { cause: error });
  if (e.authenticationFailed) {
    const responseCode = (e.serverResponseCode ?? "").toUpperCase();
    if (TEMPORARY_LOGIN_CODES.has(responseCode)) return new AppError("LOGIN_THROTTLED", undefined, { cause: error });
    return new AppError("WRONG_CREDENTIALS", undefined, { cause: error });
  }
  if (e.serverResponseCode === "NONEXISTENT" || e.code === "NotFound") {
    return new AppError("FOLDER_NOT_FOUND", undefined, { cause: error });
  }
  // imapflow refuses to send a value it cannot quote (CR, LF or NUL in a folder name: RFC 3501 §4.3
  // allows them in no string) or an invalid atom; nothing reached the server.
  if (e.code === "InvalidStringValue" || e.code === "InvalidTokenValue" || e.code === "InvalidTextValue") {
    return new AppError("BAD_REQUEST", undefined, { cause: error });
  }
  // RFC 5530: CREATE or RENAME onto a name that is taken.
  if (e.serverResponseCode === "ALREADYEXISTS") return new AppError("FOLDER_EXISTS", undefined, { cause: error });
  return error;
}
