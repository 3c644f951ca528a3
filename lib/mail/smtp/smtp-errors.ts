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

/** RFC 5321 §4.2.1: a 5yz reply is permanent (the same request will fail again), 4yz transient. */
export function isPermanent(error: SmtpErrorLike): boolean {
  return (error.responseCode ?? 500) >= 500;
}

/** One refused recipient for the user: the server's words, and whether waiting can help. */
export function describeRefusal(error: SmtpErrorLike): string {
  const reason = serverReason(error) || "refused by the server";
  return `${reason} (${isPermanent(error) ? "permanent" : "temporary"})`;
}

/**
 * Maps nodemailer's SMTP errors to the app's. Permanent versus temporary comes from the reply code
 * (RFC 5321 §4.2.1: 5yz permanent, 4yz transient), not from nodemailer's error code: only a
 * temporary refusal may suggest trying again later; a permanent one says that will not help.
 */
export function smtpToAppError(error: unknown): unknown {
  if (isAppError(error)) return error;
  const e = error as SmtpErrorLike | null;
  if (!e || typeof e !== "object" || typeof e.code !== "string") return error;
  if (e.code === "EAUTH") return new AppError("SMTP_AUTH_FAILED", undefined, { cause: error });
  if (TIMEOUT.has(e.code)) return new AppError("SMTP_TIMEOUT", undefined, { cause: error });
  if (UNREACHABLE.has(e.code)) return new AppError("SMTP_UNREACHABLE", undefined, { cause: error });
  if (e.code === "EENVELOPE" && e.rejectedErrors?.length) {
    const list = e.rejectedErrors.map((r) => `${r.recipient ?? "?"}: ${describeRefusal(r)}`).join("; ");
    const permanent = e.rejectedErrors.filter(isPermanent).length;
    const advice =
      permanent === 0
        ? "The refusal is temporary: the server may accept them later, so try again in a while."
        : permanent === e.rejectedErrors.length
          ? "The refusal is permanent: sending again will not help. Check the addresses."
          : "Sending again will not help for the permanent refusals: check those addresses; the others may be accepted later.";
    return new AppError(
      "ALL_RECIPIENTS_REJECTED",
      `The mail server refused every recipient (${list}). ${advice} The message was saved to Drafts.`,
      { cause: error },
    );
  }
  if (e.code === "EMESSAGE" && (e.responseCode === 552 || /size/i.test(e.response ?? ""))) {
    return new AppError("MESSAGE_TOO_LARGE", undefined, { cause: error });
  }
  if (e.code === "EENVELOPE" || e.code === "EMESSAGE" || e.code === "EPROTOCOL") {
    const reason = serverReason(e);
    const advice = isPermanent(e)
      ? "The refusal is permanent: sending it again as it is will not help."
      : "The refusal is temporary: try again in a while.";
    return new AppError(
      "SMTP_REJECTED",
      `The mail server refused the message${reason ? ` ("${reason}")` : ""}. ${advice} It was saved to Drafts.`,
      { cause: error },
    );
  }
  return error;
}
