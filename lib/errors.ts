import "server-only";

/**
 * The deliberate errors: each has a code the UI can act on, an HTTP status, and a message that says
 * what happened and what to do. Anything else is an unknown error: logged, never shown in detail.
 */
export const errorCatalog = {
  UNAUTHENTICATED: { status: 401, message: "Your session has ended. Sign in again." },
  BAD_ORIGIN: { status: 403, message: "This request did not come from Letterbox and was refused." },
  BAD_REQUEST: { status: 400, message: "The request was not understood." },
  WRONG_CREDENTIALS: { status: 401, message: "The email address or password is wrong." },
  LOGIN_THROTTLED: { status: 429, message: "Too many sign-in attempts. Wait a minute, then try again." },
  MAIL_SERVER_UNREACHABLE: {
    status: 503,
    message: "The mail server cannot be reached. Check your connection or try again in a moment.",
  },
  MAIL_SERVER_TIMEOUT: {
    status: 504,
    message: "The mail server is not answering. Try again in a moment.",
  },
  // A SEARCH, SORT or THREAD that outlasted MAIL_IMAP_SEARCH_TIMEOUT_MS (lib/mail/imap/pool.ts names the bound).
  SEARCH_TIMEOUT: { status: 504, message: "The mail server did not finish in time, so Letterbox stopped waiting. Try again later." },
  // The browser went away while the server worked (lib/mail/imap/pool.ts, RunOptions.signal); nobody reads it.
  REQUEST_CANCELLED: { status: 499, message: "The request was cancelled." },
  MAIL_SERVER_ERROR: { status: 502, message: "The mail server refused the request." },
  FOLDER_NOT_FOUND: { status: 404, message: "That folder no longer exists on the server." },
  MESSAGE_NOT_FOUND: { status: 404, message: "That message no longer exists. It may have been moved or deleted." },
  PART_NOT_FOUND: { status: 404, message: "That attachment is not part of the message." },
  FOLDER_CHANGED: {
    status: 409,
    message: "The folder was rebuilt on the server (its UIDVALIDITY changed). Reload the folder.",
  },
  // Compose and send (issue 3).
  INVALID_ADDRESS: { status: 400, message: "An address is not valid. Correct the marked recipients, then send again." },
  NO_RECIPIENTS: { status: 400, message: "Add at least one recipient in To, Cc or Bcc." },
  UPLOAD_TOO_LARGE: { status: 413, message: "The file is larger than the mail server accepts. Send it another way, or a smaller version." },
  MESSAGE_TOO_LARGE: {
    status: 413,
    message: "The message with all its attachments is larger than the mail server accepts. Remove an attachment and try again.",
  },
  UPLOAD_NOT_FOUND: { status: 404, message: "An attachment is no longer on the server. Remove it and attach the file again." },
  SMTP_AUTH_FAILED: {
    status: 502,
    message: "The mail server refused your password for sending. The message was saved to Drafts; sign out and in again, then send.",
  },
  SMTP_UNREACHABLE: {
    status: 503,
    message: "The outgoing mail server cannot be reached. The message was saved to Drafts; try sending again in a moment.",
  },
  SMTP_TIMEOUT: {
    status: 504,
    message: "The outgoing mail server did not answer in time. The message was saved to Drafts; try sending again in a moment.",
  },
  ALL_RECIPIENTS_REJECTED: {
    status: 422,
    message: "The mail server refused every recipient. Check the addresses; the message was saved to Drafts.",
  },
  SMTP_REJECTED: { status: 502, message: "The mail server refused the message. It was saved to Drafts." },
  DRAFT_NOT_FOUND: { status: 404, message: "That draft no longer exists. It may have been sent or deleted elsewhere." },
  STORE_UNAVAILABLE: {
    status: 503,
    message: "The session store is unavailable, so nothing was changed. Try again in a moment.",
  },
  SEND_IN_DOUBT: {
    status: 409,
    message:
      "This message was being sent when the server stopped, so it may already have gone out. Check Sent before sending it again.",
  },
  // The outbox (issue 9).
  OUTBOX_NOT_FOUND: {
    status: 404,
    message: "That message is no longer in the outbox: it has been sent, cancelled or returned to Drafts.",
  },
  SEND_AT_PAST: { status: 400, message: "That time has already passed. Choose a time in the future to send the message." },
  OUTBOX_BUSY: {
    status: 409,
    message: "That message is being handed to the mail server right now, so it can no longer be taken back.",
  },
  UNKNOWN: { status: 500, message: "An unknown error occurred. Try again; if it keeps happening, reload the page." },
  // Organizing (issue 4): folders and message actions.
  FOLDER_EXISTS: { status: 409, message: "A folder with that name already exists there. Choose another name." },
  FOLDER_NAME_INVALID: { status: 400, message: "That folder name cannot be used. Choose another name." },
  FOLDER_NAME_HAS_DELIMITER: {
    status: 400,
    message: "Folder names cannot contain the server's folder separator. Choose another name, or create the folder inside another one.",
  },
  FOLDER_PROTECTED: {
    status: 403,
    message: "Inbox, Drafts, Sent, Archive, Junk and Trash cannot be renamed, moved or deleted.",
  },
  FOLDER_HAS_CHILDREN: { status: 409, message: "This folder has folders inside it. Move or delete them first." },
  FOLDER_MOVE_INVALID: { status: 400, message: "A folder cannot be moved into itself or into one of its own folders." },
  SAME_FOLDER: { status: 400, message: "The messages are already in that folder." },
  UIDPLUS_REQUIRED: {
    status: 501,
    message:
      "Another mail program has marked other messages in this folder for deletion, and this mail server (it lacks UIDPLUS) would remove them too, so Letterbox changed nothing. Delete or unmark them there, then try again.",
  },
  MOVE_FAILED: {
    status: 502,
    message: "The mail server did not complete the move. Nothing was deleted; reload to see where the messages are.",
  },
  DESTINATION_NOT_FOUND: {
    status: 404,
    message: "The folder you chose no longer exists on the server (another app may have removed it). Nothing was moved.",
  },
  // Search (issue 11): the message is the parser's, naming the term to correct.
  SEARCH_INVALID: { status: 400, message: "The search could not be understood. Check the operators and try again." },
  // POP3 accounts (issue 12).
  POP3_ACCOUNT_NOT_FOUND: { status: 404, message: "That POP3 account no longer exists. Reload the page." },
  POP3_PLAINTEXT_REFUSED: {
    status: 400,
    message: "Letterbox does not send a password without encryption. Choose TLS or STARTTLS (an administrator can allow \"None\" with MAIL_POP3_ALLOW_PLAINTEXT=1).",
  },
  // Remote images through the image proxy (issue 13).
  IMAGE_LINK_INVALID: { status: 403, message: "That image link was not made for this session. Reload the message." },
  IMAGE_REFUSED: {
    status: 403,
    message: "Letterbox does not fetch images from that address (a private or local network, or not http/https).",
  },
  IMAGE_UNAVAILABLE: { status: 502, message: "The image could not be loaded from its sender's server." },
} as const;

export type ErrorCode = keyof typeof errorCatalog;

// Next bundles a module once per entry (instrumentation.ts, each route), so an AppError made by a
// module loaded at start-up (the store) is not an instance of a route's AppError class: a brand
// shared through the global symbol registry recognizes it either way.
const brand = Symbol.for("letterbox.AppError");

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? errorCatalog[code].message, options);
    this.name = "AppError";
    this.code = code;
    this.status = errorCatalog[code].status;
    Object.defineProperty(this, brand, { value: true });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[brand] === true);
}
