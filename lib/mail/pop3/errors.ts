import "server-only";

/**
 * What can go wrong talking to a POP3 server, in the words a user needs: each code says whose move
 * it is (fix the password, wait, fix the server's certificate, read the server's own reason).
 */
export const pop3ErrorMessages = {
  AUTH_FAILED: "The POP3 server refused the login or password.",
  LOGIN_DELAYED: "The POP3 server asks to wait before logging in again (it may be busy or the mailbox in use).",
  UNREACHABLE: "The POP3 server cannot be reached. Check the server name and port.",
  TLS_CERTIFICATE: "The POP3 server's TLS certificate is not valid for this server name.",
  TLS_UNAVAILABLE: "The POP3 server does not offer STARTTLS (STLS); choose TLS, or another server.",
  TLS_FAILED: "The secure connection to the POP3 server could not be set up.",
  REFUSED: "The POP3 server refused a command.",
  CONNECTION_LOST: "The connection to the POP3 server was lost.",
  TIMEOUT: "The POP3 server did not answer in time.",
  PROTOCOL: "The POP3 server sent an answer that is not POP3.",
} as const;

export type Pop3ErrorCode = keyof typeof pop3ErrorMessages;

/** A POP3 failure. `serverText` is the server's own reason (after `-ERR`), never a command we sent. */
export class Pop3Error extends Error {
  readonly code: Pop3ErrorCode;
  readonly serverText: string | undefined;

  constructor(code: Pop3ErrorCode, options: { serverText?: string; cause?: unknown; detail?: string } = {}) {
    const base = pop3ErrorMessages[code];
    const extra = options.serverText ? ` The server said: "${options.serverText}"` : options.detail ? ` (${options.detail})` : "";
    super(base + extra, { cause: options.cause });
    this.name = "Pop3Error";
    this.code = code;
    this.serverText = options.serverText;
  }
}

export function isPop3Error(error: unknown): error is Pop3Error {
  return error instanceof Pop3Error;
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL"]);
const LOST_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_DESTROYED"]);
// Node's names for certificate verification failures (OpenSSL's X509 errors, plus the host check).
const CERTIFICATE_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Maps a socket or TLS error to a Pop3Error; a Pop3Error passes through. */
export function toPop3Error(error: unknown, phase: "connect" | "tls" | "session"): Pop3Error {
  if (error instanceof Pop3Error) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    if (CERTIFICATE_CODES.has(code)) return new Pop3Error("TLS_CERTIFICATE", { cause: error, detail: code });
    if (UNREACHABLE_CODES.has(code)) return new Pop3Error("UNREACHABLE", { cause: error, detail: code });
    if (code === "ETIMEDOUT") return new Pop3Error(phase === "connect" ? "UNREACHABLE" : "TIMEOUT", { cause: error });
    if (LOST_CODES.has(code)) return new Pop3Error(phase === "connect" ? "UNREACHABLE" : "CONNECTION_LOST", { cause: error });
    if (code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS")) return new Pop3Error("TLS_FAILED", { cause: error, detail: code });
  }
  if (phase === "tls") return new Pop3Error("TLS_FAILED", { cause: error });
  return new Pop3Error(phase === "connect" ? "UNREACHABLE" : "CONNECTION_LOST", { cause: error });
}
