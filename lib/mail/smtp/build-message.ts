import "server-only";
import type { Readable } from "node:stream";
import MailComposer from "nodemailer/lib/mail-composer";
import type { Address } from "@/lib/mail/types";

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  /** Opened by the caller from server-side storage only: never a path or URL the client named. */
  content: Readable;
}

export interface OutgoingMessage {
  from: Address;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
  /** Null for a plain-text message. */
  html: string | null;
  text: string;
  attachments: OutgoingAttachment[];
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  date: Date;
  /** Extra headers, only for a draft's own bookkeeping (never set on what is sent). */
  headers?: Record<string, string>;
}

export interface BuiltMessage {
  /** What is filed in Sent or Drafts: Bcc kept, so the sender sees whom they wrote to. */
  withBcc: Buffer;
  /**
   * What goes over SMTP: the same bytes without the Bcc header, as the new header plus a view of
   * the filed copy's body — a second copy of a 30 MB message would double the memory a send needs.
   */
  forTransport: Buffer[];
  envelope: { from: string; to: string[] };
}

const toMailbox = (a: Address) => ({ name: a.name, address: a.address });

/**
 * Removes the Bcc header field (and its folded continuation lines) from a message's header section.
 * RFC 5322 §3.6.3: Bcc recipients must not be disclosed to the other recipients. Done on the built
 * bytes so the body — attachments included — is exactly what is filed in Sent.
 */
export function stripBccHeader(raw: Buffer): Buffer[] {
  const end = raw.indexOf("\r\n\r\n");
  const headerEnd = end < 0 ? raw.length : end + 2;
  const lines = raw.subarray(0, headerEnd).toString("latin1").split("\r\n");
  const kept: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (skipping && /^[ \t]/.test(line)) continue;
    skipping = /^bcc:/i.test(line);
    if (!skipping) kept.push(line);
  }
  return [Buffer.from(kept.join("\r\n"), "latin1"), raw.subarray(headerEnd)];
}

/**
 * Builds the MIME message once with nodemailer's composer: multipart/alternative (plain text first,
 * then HTML, RFC 2046 §5.1.4) when there is HTML, with attachments in multipart/mixed. Non-ASCII
 * names and subjects become RFC 2047 encoded-words; file names RFC 2231 parameters. File and URL
 * access are off, so nothing in the input can make the composer read a path or fetch a URL.
 */
export async function buildMessage(message: OutgoingMessage): Promise<BuiltMessage> {
  const composer = new MailComposer({
    from: toMailbox(message.from),
    to: message.to.map(toMailbox),
    cc: message.cc.map(toMailbox),
    bcc: message.bcc.map(toMailbox),
    subject: message.subject,
    text: message.text,
    html: message.html ?? undefined,
    attachments: message.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      contentDisposition: "attachment",
    })),
    messageId: message.messageId,
    inReplyTo: message.inReplyTo ?? undefined,
    references: message.references.length ? message.references : undefined,
    date: message.date,
    headers: message.headers,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  node.keepBcc = true;
  const withBcc = await node.build();
  const envelope = node.getEnvelope();
  return {
    withBcc,
    forTransport: stripBccHeader(withBcc),
    envelope: { from: envelope.from || message.from.address, to: envelope.to },
  };
}
