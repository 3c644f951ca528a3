import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { isValidMailbox } from "@/lib/mail/addresses";
import { cleanComposedHtml, composedHtmlDocument, htmlToPlainText } from "@/lib/mail/mime";
import type { OutgoingMessage } from "@/lib/mail/smtp/build-message";
import type { Address, DraftContent } from "@/lib/mail/types";
import type { MailAccount } from "@/lib/mail/imap/account";
import { estimateMessageSize } from "./limits";
import { uploadsOf } from "./upload-store";

/** What the browser sends for a draft or a message: attachments by upload id only. */
export type ComposeInput = Omit<DraftContent, "attachments"> & { attachmentIds: string[] };

/** Letterbox's own header in drafts: which message a reopened draft replies to or forwards. */
export const ORIGIN_HEADER = "x-letterbox-origin";

export function encodeOrigin(origin: DraftContent["origin"]): string | null {
  if (!origin) return null;
  const folder = Buffer.from(origin.ref.folder, "utf8").toString("base64");
  return `${origin.mode}; uidvalidity=${origin.ref.uidValidity}; uid=${origin.ref.uid}; folder=${folder}`;
}

export function decodeOrigin(value: string | undefined): DraftContent["origin"] {
  const m = /^(reply|forward); uidvalidity=(\d+); uid=(\d+); folder=([A-Za-z0-9+/=]+)$/.exec(value?.trim() ?? "");
  if (!m) return null;
  return {
    mode: m[1] as "reply" | "forward",
    ref: { uidValidity: m[2] ?? "", uid: Number(m[3]), folder: Buffer.from(m[4] ?? "", "base64").toString("utf8") },
  };
}

/** The recipients that are not valid mailboxes, as the user would recognise them. */
export function invalidRecipients(input: Pick<ComposeInput, "to" | "cc" | "bcc">): string[] {
  return [...input.to, ...input.cc, ...input.bcc].filter((a) => !isValidMailbox(a.address)).map((a) => a.address || a.name);
}

/** A domain for Message-IDs: the sender's, as RFC 5322 §3.6.4 suggests for uniqueness. */
function messageIdFor(login: string, unique: string): string {
  const domain = login.includes("@") ? login.split("@").pop() : "letterbox.invalid";
  return `<${unique}@${domain}>`;
}

const dedupe = (list: Address[]) => {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = a.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/**
 * Turns the browser's input into the message to build: the sender is always the signed-in login,
 * HTML is reduced to the editor's vocabulary and given a faithful plain-text alternative, and
 * attachments are opened from this session's uploads only.
 */
export async function toOutgoing(
  account: MailAccount,
  input: ComposeInput,
  options: {
    unique?: string;
    dropInvalid?: boolean;
    headers?: Record<string, string>;
    maxMessageBytes?: number;
    /** The name the user chose in Settings, shown beside their address; none when empty. */
    fromName?: string;
  } = {},
): Promise<OutgoingMessage> {
  const keep = (list: Address[]) => dedupe(options.dropInvalid ? list.filter((a) => isValidMailbox(a.address)) : list);
  if (!options.dropInvalid) {
    const invalid = invalidRecipients(input);
    if (invalid.length) {
      throw new AppError("INVALID_ADDRESS", `These addresses are not valid: ${invalid.join(", ")}. Correct them, then send again.`);
    }
  }
  const uploads = await uploadsOf(account.key, input.attachmentIds);
  const html = input.format === "html" ? cleanComposedHtml(input.body) : null;
  const text = html !== null ? htmlToPlainText(html) : input.body;
  const estimate = estimateMessageSize(
    uploads.map((u) => u.size),
    text.length + (html?.length ?? 0),
  );
  if (options.maxMessageBytes && estimate > options.maxMessageBytes) throw new AppError("MESSAGE_TOO_LARGE");
  // Opened only now that nothing can refuse the message before it is built.
  return {
    from: { name: options.fromName ?? "", address: account.login },
    to: keep(input.to),
    cc: keep(input.cc),
    bcc: keep(input.bcc),
    subject: input.subject,
    html: html !== null ? composedHtmlDocument(html) : null,
    text,
    attachments: uploads.map((u) => ({ filename: u.filename, contentType: u.contentType, content: u.open() })),
    messageId: messageIdFor(account.login, options.unique ?? randomUUID()),
    inReplyTo: input.inReplyTo,
    references: input.references,
    date: new Date(),
    headers: options.headers,
  };
}
