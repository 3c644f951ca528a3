import "server-only";
import { AppError, isAppError } from "@/lib/errors";

interface SmtpErrorLike {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejectedErrors?: SmtpErrorLike[];
  recipient?: string;
}

const UNREACHABLE = new Set(["ECONNECTION", "ESOCKET", "EDNS", "ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EPIPE"]);
const TIMEOUT = new Set(["ETIMEDOUT", "ETIMEOUT", "EGREETING"]);

/** The server's own words, without the status code, short enough for a message to the user. */
export function serverReason(error: SmtpErrorLike): string {
  const text = (error.response ?? "").replace(/^\d{3}[ -](\d\.\d{1,3}\.\d{1,3} )?/, "").trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Maps nodemailer's SMTP errors to the app's. Permanent versus temporary comes from the reply code
 * (RFC 5321 §4.2.1: 5yz permanent, 4yz transient), not from nodemailer's error code.
 */
export function smtpToAppError(error: unknown): unknown {
  if (isAppError(error)) return error;
  const e = error as SmtpErrorLike | null;
  if (!e || typeof e !== "object" || typeof e.code !== "string") return error;
  if (e.code === "EAUTH") return new AppError("SMTP_AUTH_FAILED", undefined, { cause: error });
  if (TIMEOUT.has(e.code)) return new AppError("SMTP_TIMEOUT", undefined, { cause: error });
  if (UNREACHABLE.has(e.code)) return new AppError("SMTP_UNREACHABLE", undefined, { cause: error });
  if (e.code === "EENVELOPE" && e.rejectedErrors?.length) {
    const list = e.rejectedErrors.map((r) => `${r.recipient ?? "?"}: ${serverReason(r)}`).join("; ");
    const temporary = e.rejectedErrors.every((r) => (r.responseCode ?? 500) < 500);
    return new AppError(
      "ALL_RECIPIENTS_REJECTED",
      `The mail server refused every recipient (${list}). ${temporary ? "It may accept them later: try again in a while." : "Check the addresses."} The message was saved to Drafts.`,
      { cause: error },
    );
  }
  if (e.code === "EMESSAGE" && (e.responseCode === 552 || /size/i.test(e.response ?? ""))) {
    return new AppError("MESSAGE_TOO_LARGE", undefined, { cause: error });
  }
  if (e.code === "EENVELOPE" || e.code === "EMESSAGE" || e.code === "EPROTOCOL") {
    const reason = serverReason(e);
    const temporary = (e.responseCode ?? 500) < 500;
    return new AppError(
      "SMTP_REJECTED",
      `The mail server refused the message${reason ? ` ("${reason}")` : ""}. It was saved to Drafts${temporary ? "; try again in a while" : ""}.`,
      { cause: error },
    );
  }
  return error;
}
