import "server-only";
import { randomUUID } from "node:crypto";
import type { MailAccount } from "@/lib/mail/imap/account";
import { appendToFolder } from "@/lib/mail/imap/append-to-folder";
import { buildDeliveryReport, type FailedRecipient } from "@/lib/mail/smtp/build-delivery-report";
import type { FailedDelivery } from "./classify-failure";
import { writeEntry, type OutboxEntry } from "./outbox-entries";

/**
 * RFC 3464 §2.3.6: the Diagnostic-Code of type smtp is the server's reply, code first ("550 5.1.1
 * <x@y>: Recipient address rejected"). A reply kept without its code (entries from before the code
 * was kept) gets it back in front when it is known.
 */
export function diagnosticOf(r: FailedDelivery): string {
  if (/^\d{3}\b/.test(r.reply) || r.code === null) return r.reply;
  return `${r.code} ${r.reply}`;
}

/** The "not delivered" report for an outbox message, as a delivery status notification (RFC 3464). */
export async function buildReport(entry: OutboxEntry, recipients: FailedDelivery[], explanation: string, permanent = true): Promise<Buffer> {
  const domain = entry.login.includes("@") ? (entry.login.split("@").pop() ?? "letterbox.invalid") : "letterbox.invalid";
  const failed: FailedRecipient[] = recipients.map((r) => ({
    address: r.address,
    // RFC 3463: the server's enhanced code when it gave one; else the class of its reply code; else
    // 5.0.0, or 4.4.7 (delivery time expired).
    status:
      /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(r.reply)?.[1] ??
      (r.code !== null && r.code >= 400 && r.code < 600 ? `${Math.floor(r.code / 100)}.0.0` : permanent ? "5.0.0" : "4.4.7"),
    diagnostic: diagnosticOf(r),
  }));
  return buildDeliveryReport({
    to: entry.login,
    reportingHost: "letterbox.local",
    arrivalDate: new Date(entry.createdAt),
    subject: entry.subject,
    explanation,
    recipients: failed,
    original: Buffer.from(entry.raw, "base64"),
    messageId: `<report-${randomUUID()}@${domain}>`,
    date: new Date(),
  });
}

/**
 * Files the report of a given-up message in Inbox, once: `reportFiled` is written after the server
 * confirmed the APPEND, so a repeat (the worker again, or Cancel from a session) skips it.
 */
export async function fileFailureReport(account: MailAccount, entry: OutboxEntry, at: Date): Promise<void> {
  if (!entry.failure || entry.reportFiled) return;
  const report = await buildReport(entry, entry.failure.recipients, entry.failure.explanation, entry.failure.permanent);
  await appendToFolder(account, "INBOX", report, { flags: [], internalDate: at });
  await writeEntry({ ...entry, reportFiled: true });
}
