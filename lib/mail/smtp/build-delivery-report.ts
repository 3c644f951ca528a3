import "server-only";
import MimeNode from "nodemailer/lib/mime-node";

export interface FailedRecipient {
  address: string;
  /** RFC 3463 status, e.g. "5.1.1"; "4.4.7" when the give-up time passed on temporary failures. */
  status: string;
  /** The server's reply as it gave it ("550 5.1.1 <x@y>: Recipient address rejected"), or our own words. */
  diagnostic: string;
}

export interface DeliveryReportInput {
  /** The user: the report is from the mailer daemon to them, as mail servers send it. */
  to: string;
  reportingHost: string;
  arrivalDate: Date;
  subject: string;
  /** One or two sentences in plain words: what happened and that the message is back in Drafts. */
  explanation: string;
  recipients: FailedRecipient[];
  /** The original message, attached whole. */
  original: Buffer;
  messageId: string;
  date: Date;
}

/** Characters a header field value must not carry (the reply is the server's text: hostile input). */
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, " ").replace(/[^\x20-\x7e]/g, "?").slice(0, 900);

/**
 * A "not delivered" notice in the form mail servers use, a delivery status notification (RFC 3464):
 * multipart/report; report-type=delivery-status (RFC 6522) with a human-readable part, the
 * machine-readable message/delivery-status (per-message fields, then one block per failed
 * recipient: Final-Recipient, Action: failed, Status, Diagnostic-Code with the server's reply),
 * and the original as message/rfc822. Built with nodemailer's MIME tree, never by hand-joining parts.
 */
export async function buildDeliveryReport(input: DeliveryReportInput): Promise<Buffer> {
  const root = new MimeNode("multipart/report; report-type=delivery-status");
  root.setHeader({
    From: `Mail Delivery System <MAILER-DAEMON@${input.reportingHost}>`,
    To: input.to,
    Subject: `Undelivered Mail Returned to Sender: ${input.subject}`.slice(0, 500),
    Date: input.date.toUTCString(),
    "Message-ID": input.messageId,
    // RFC 3834 §5: an automatic reply; nobody should auto-answer it.
    "Auto-Submitted": "auto-replied",
  });
  const list = input.recipients.map((r) => `  ${r.address}: ${r.diagnostic.replace(/[\r\n\t]+/g, " ")}`).join("\n");
  root.createChild("text/plain; charset=utf-8").setContent(`${input.explanation}\n\n${list}\n`);
  const perMessage = [`Reporting-MTA: dns; ${oneLine(input.reportingHost)}`, `Arrival-Date: ${input.arrivalDate.toUTCString()}`].join("\r\n");
  const perRecipient = input.recipients.map((r) =>
    [
      `Final-Recipient: rfc822; ${oneLine(r.address)}`,
      "Action: failed",
      `Status: ${/^[245]\.\d{1,3}\.\d{1,3}$/.test(r.status) ? r.status : "5.0.0"}`,
      `Diagnostic-Code: smtp; ${oneLine(r.diagnostic)}`,
    ].join("\r\n"),
  );
  // RFC 3464 §2.1: the per-message block and each per-recipient block separated by empty lines.
  root.createChild("message/delivery-status").setContent([perMessage, ...perRecipient].join("\r\n\r\n") + "\r\n");
  root.createChild("message/rfc822").setContent(input.original);
  return root.build();
}
