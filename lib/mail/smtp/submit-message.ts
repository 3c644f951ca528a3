import "server-only";
import { Readable } from "node:stream";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { serverConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";
import { describeRefusal, smtpToAppError } from "./smtp-errors";

export interface RefusedRecipient {
  address: string;
  /** The server's words for the user, and whether waiting can help. */
  reason: string;
  /** The server's whole reply, code first ("550 5.1.1 <x@y>: Recipient address rejected: …"), for a DSN. */
  reply: string;
  /** The reply code (RFC 5321 §4.2), null if the server gave none. */
  code: number | null;
}

export interface SubmitResult {
  accepted: string[];
  rejected: RefusedRecipient[];
  response: string;
}

const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 10_000, socketTimeout: 120_000 };

function openConnection(): SMTPConnection {
  const config = serverConfig();
  return new SMTPConnection({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    // STARTTLS when offered (nodemailer's default); the local stack has a self-signed certificate.
    tls: { rejectUnauthorized: !config.tlsInsecure },
    name: "letterbox.local",
    // Never a logger: an AUTH line carries the password.
    logger: false,
    debug: false,
    ...TIMEOUTS,
  });
}

function connect(connection: SMTPConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.once("error", reject);
    connection.connect((error) => (error ? reject(error) : resolve()));
  });
}

/** RFC 1870: the SIZE keyword of the EHLO reply, the largest message the server takes (0: no limit). */
export function sizeFromEhlo(ehlo: string | false): number | null {
  if (!ehlo) return null;
  const match = /^250[ -]SIZE(?:[ \t]+(\d+))?\s*$/im.exec(ehlo);
  if (!match) return null;
  const size = Number(match[1] ?? 0);
  return size > 0 ? size : null;
}

/**
 * The server's advertised SIZE, from an EHLO without logging in. Cached: the upload limit is asked
 * for every attachment, and a server's limit changes rarely.
 */
let sizeCache: { value: number | null; at: number } | null = null;
const SIZE_CACHE_MS = 10 * 60_000;

export async function advertisedSizeLimit(): Promise<number | null> {
  if (sizeCache && Date.now() - sizeCache.at < SIZE_CACHE_MS) return sizeCache.value;
  const connection = openConnection();
  try {
    await connect(connection);
    const value = sizeFromEhlo(connection.lastServerResponse);
    sizeCache = { value, at: Date.now() };
    return value;
  } catch (error) {
    throw smtpToAppError(error);
  } finally {
    connection.quit();
  }
}

/**
 * Submits raw message bytes, given as chunks (RFC 6409) with the user's own credentials and an explicit envelope, so
 * Bcc recipients get it without appearing in the header. A partial rejection does not throw: each
 * refused recipient comes back with the server's reason. Nothing is retried here — a retry after an
 * unclear failure could send twice; the caller's idempotency key decides.
 */
export async function submitMessage(
  account: MailAccount,
  raw: Buffer[],
  envelope: { from: string; to: string[] },
): Promise<SubmitResult> {
  const size = raw.reduce((n, chunk) => n + chunk.length, 0);
  const connection = openConnection();
  try {
    await connect(connection);
    const limit = sizeFromEhlo(connection.lastServerResponse);
    if (limit && size > limit) throw new AppError("MESSAGE_TOO_LARGE");
    await new Promise<void>((resolve, reject) =>
      connection.login({ user: account.login, pass: account.password }, (error) => (error ? reject(error) : resolve())),
    );
    const info = await new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) =>
      // size lets the server refuse an oversized message at MAIL FROM, before the data is sent (RFC 1870).
      connection.send({ ...envelope, size }, Readable.from(raw), (error, result) => (error || !result ? reject(error) : resolve(result))),
    );
    // Each refusal says whether it is permanent, so the user knows whether "Send again" can help;
    // the reply itself, code included, goes into a "not delivered" report (RFC 3464 Diagnostic-Code).
    const refusals = new Map((info.rejectedErrors ?? []).map((e) => [e.recipient ?? "", e]));
    return {
      accepted: info.accepted ?? [],
      rejected: (info.rejected ?? []).map((address) => {
        const refusal = refusals.get(address);
        return {
          address,
          reason: refusal ? describeRefusal(refusal) : "refused by the server",
          reply: (refusal?.response ?? "").replace(/[\r\n]+/g, " ").trim(),
          code: typeof refusal?.responseCode === "number" ? refusal.responseCode : null,
        };
      }),
      response: info.response ?? "",
    };
  } catch (error) {
    throw smtpToAppError(error);
  } finally {
    connection.quit();
  }
}
