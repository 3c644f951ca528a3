import "server-only";
import { isAppError } from "@/lib/errors";

interface SmtpReplyLike {
  code?: string;
  responseCode?: number;
  response?: string;
  recipient?: string;
  rejectedErrors?: SmtpReplyLike[];
  message?: string;
}

export interface FailedDelivery {
  address: string;
  /** The server's reply as given, or our words when there was none (a dropped connection). */
  reply: string;
  code: number | null;
}

export type Failure =
  | { kind: "temporary"; reason: string }
  | { kind: "permanent"; reason: string; recipients: FailedDelivery[] | null };

/** Network and TLS failures (no reply from the server): worth another try. */
const NETWORK = /^(ECONNECTION|ESOCKET|EDNS|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|ETIMEDOUT|ETIMEOUT|EGREETING|ETLS|ERR_SSL_.*|ERR_TLS_.*|CERT_.*|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/;

const causeOf = (error: unknown): SmtpReplyLike | null => {
  const cause = isAppError(error) ? (error as { cause?: unknown }).cause : error;
  return cause && typeof cause === "object" ? (cause as SmtpReplyLike) : null;
};

const replyText = (e: SmtpReplyLike | null | undefined, fallback: string) => (e?.response ?? "").trim() || fallback;

/**
 * Whether a failed submission is worth another try. RFC 5321 §4.2.1: a 4yz reply is transient, a
 * 5yz reply permanent; no reply at all (refused or reset connection, timeout, TLS handshake failure)
 * is transient too. An authentication refusal is permanent unless the server said 4yz (454: try
 * later). `recipients` names each recipient with the server's reply where it refused them one by
 * one; null means the whole message was refused (every envelope recipient failed with `reason`).
 */
export function classifyFailure(error: unknown): Failure {
  const appCode = isAppError(error) ? error.code : null;
  const cause = causeOf(error);
  const reason = plainReason(appCode, cause);
  if (appCode === "SMTP_UNREACHABLE" || appCode === "SMTP_TIMEOUT") return { kind: "temporary", reason };
  if (appCode === "MESSAGE_TOO_LARGE") return { kind: "permanent", reason, recipients: null };
  if (appCode === "ALL_RECIPIENTS_REJECTED" && cause?.rejectedErrors?.length) {
    const permanent = cause.rejectedErrors.every((r) => (r.responseCode ?? 500) >= 500);
    if (!permanent) return { kind: "temporary", reason };
    return {
      kind: "permanent",
      reason,
      recipients: cause.rejectedErrors.map((r) => ({ address: r.recipient ?? "", reply: replyText(r, "refused"), code: r.responseCode ?? null })),
    };
  }
  if (appCode === "SMTP_AUTH_FAILED" || appCode === "SMTP_REJECTED" || appCode === "ALL_RECIPIENTS_REJECTED") {
    const code = cause?.responseCode;
    if (code !== undefined && code >= 400 && code < 500) return { kind: "temporary", reason };
    return { kind: "permanent", reason, recipients: null };
  }
  if (!appCode && cause && typeof cause.code === "string" && NETWORK.test(cause.code)) return { kind: "temporary", reason };
  if (!appCode && /\b(TLS|SSL)\b|handshake|certificate/i.test(cause?.message ?? "")) return { kind: "temporary", reason };
  // Anything else (the store or IMAP briefly away, a bug): keep the message and try again later;
  // the give-up time bounds it.
  return { kind: "temporary", reason };
}

/** What happened, in the words the Outbox and the report show (the AppError texts speak of a direct send). */
function plainReason(appCode: string | null, cause: SmtpReplyLike | null): string {
  const said = (cause?.response ?? "").trim();
  switch (appCode) {
    case "SMTP_UNREACHABLE":
      return "The mail server is unreachable.";
    case "SMTP_TIMEOUT":
      return "The mail server did not answer in time.";
    case "SMTP_AUTH_FAILED":
      return `The mail server refused your password for sending${said ? ` ("${said}")` : ""}.`;
    case "MESSAGE_TOO_LARGE":
      return "The message is larger than the mail server accepts.";
    case "ALL_RECIPIENTS_REJECTED":
      return `The mail server refused every recipient${said ? ` ("${said}")` : ""}.`;
    case "SMTP_REJECTED":
      return `The mail server refused the message${said ? ` ("${said}")` : ""}.`;
    case null:
      return cause?.code && NETWORK.test(cause.code) ? "The mail server is unreachable." : "Sending failed for an unexpected reason.";
    default:
      return "Sending failed for an unexpected reason.";
  }
}

/** The server's full reply for the report, from the error a whole-message refusal threw. */
export function wholeMessageReply(error: unknown, fallback: string): { reply: string; code: number | null } {
  const cause = causeOf(error);
  return { reply: replyText(cause, fallback), code: cause?.responseCode ?? null };
}

/**
 * Backoff after the n-th failed try: about 1, 5 and 15 minutes, then every hour, each ±20 % at
 * random so many messages that failed together (a server down) do not all retry at the same instant.
 */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const base = [60_000, 5 * 60_000, 15 * 60_000][failedAttempts - 1] ?? 60 * 60_000;
  return Math.round(base * (0.8 + 0.4 * random()));
}
