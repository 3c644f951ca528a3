import "server-only";
import { AppError } from "@/lib/errors";
import { formatAddress } from "@/lib/mail/addresses";
import type { MailAccount } from "@/lib/mail/imap/account";
import { getMessage } from "@/lib/mail/imap/get-message";
import { readThreadHeaders } from "@/lib/mail/imap/read-thread-headers";
import { htmlToPlainText } from "@/lib/mail/mime";
import type { Address, DraftContent, Message, MessageRefData } from "@/lib/mail/types";
import { rememberAddresses } from "./address-book";
import { decodeOrigin, ORIGIN_HEADER } from "./draft-input";
import { importAttachments } from "./import-attachments";

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

/** "Re: Re: AW: x" → "Re: x": one prefix, whatever other clients (and languages) stacked up. */
export function prefixSubject(subject: string, prefix: "Re" | "Fwd"): string {
  const pattern = prefix === "Re" ? /^\s*((re|aw|sv|antw|wg|fwd?)(\[\d+\])?\s*:\s*)+/i : /^\s*((fwd?|wg|tr)(\[\d+\])?\s*:\s*)+/i;
  return `${prefix}: ${subject.replace(pattern, "")}`.trimEnd();
}

/** RFC 5322 §3.6.4: the parent's References (or its In-Reply-To) followed by its Message-ID. */
export function replyReferences(parent: { messageId: string | null; inReplyTo: string | null; references: string[] }): string[] {
  const chain = parent.references.length ? [...parent.references] : parent.inReplyTo ? [parent.inReplyTo] : [];
  if (parent.messageId) chain.push(parent.messageId);
  const unique = [...new Set(chain)];
  // Long threads: keep the root and the most recent ids, as RFC 5322 allows and clients do.
  return unique.length > 20 ? [unique[0] ?? "", ...unique.slice(-19)] : unique;
}

const sameAddress = (a: Address, login: string) => a.address.toLowerCase() === login.toLowerCase();

/** Reply goes to Reply-To, else From; reply all adds the other To and Cc, never the user themself. */
export function replyRecipients(original: Message, login: string, all: boolean): { to: Address[]; cc: Address[] } {
  const fromSelf = original.from.some((a) => sameAddress(a, login));
  // Replying to one's own sent message continues the conversation with its recipients.
  const primary = fromSelf ? original.to : original.replyTo.length ? original.replyTo : original.from;
  const seen = new Set<string>([login.toLowerCase()]);
  const take = (list: Address[]) =>
    list.filter((a) => {
      const key = a.address.toLowerCase();
      if (!key || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const to = take(primary);
  if (!all) return { to, cc: [] };
  const moreTo = take(fromSelf ? [] : original.to);
  return { to: [...to, ...moreTo], cc: take(original.cc) };
}

function dateLine(iso: string): string {
  return new Date(iso).toUTCString().replace(" GMT", " UTC");
}

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

function quoteBlock(original: Message): string {
  const who = original.from.map(formatAddress).join(", ") || "someone";
  const text = htmlToPlainText(original.html);
  return `<p></p><p>On ${escapeHtml(dateLine(original.date))}, ${escapeHtml(who)} wrote:</p><blockquote>${paragraphs(text)}</blockquote>`;
}

function forwardBlock(original: Message): string {
  const lines = [
    "---------- Forwarded message ----------",
    `From: ${original.from.map(formatAddress).join(", ")}`,
    `Date: ${dateLine(original.date)}`,
    `Subject: ${original.subject}`,
    `To: ${original.to.map(formatAddress).join(", ")}`,
    ...(original.cc.length ? [`Cc: ${original.cc.map(formatAddress).join(", ")}`] : []),
  ];
  return `<p></p><p>${lines.map(escapeHtml).join("<br>")}</p>${paragraphs(htmlToPlainText(original.html))}`;
}

/**
 * The composer's starting point for a reply, reply all or forward of `ref`: recipients, "Re:" or
 * "Fwd:" once, the quoted original with an attribution line, In-Reply-To and References for
 * threading, and (forward) the original's attachments copied into this session's uploads.
 */
export async function startCompose(
  account: MailAccount,
  mode: "reply" | "replyAll" | "forward",
  ref: MessageRefData,
): Promise<DraftContent> {
  const original = await getMessage(account, ref, { allowRemote: false });
  const thread = await readThreadHeaders(account, ref);
  await rememberAddresses(account.login, [...original.from, ...original.replyTo, ...original.to, ...original.cc]);
  const origin = { mode: mode === "forward" ? ("forward" as const) : ("reply" as const), ref };
  if (mode === "forward") {
    return {
      to: [],
      cc: [],
      bcc: [],
      subject: prefixSubject(original.subject, "Fwd"),
      format: "html",
      body: forwardBlock(original),
      attachments: await importAttachments(account, ref, original.attachments),
      // A forward starts a new thread, but References lets clients relate it to the original.
      inReplyTo: null,
      references: replyReferences({ ...thread, inReplyTo: original.inReplyTo }),
      origin,
    };
  }
  const { to, cc } = replyRecipients(original, account.login, mode === "replyAll");
  return {
    to,
    cc,
    bcc: [],
    subject: prefixSubject(original.subject, "Re"),
    format: "html",
    body: quoteBlock(original),
    attachments: [],
    inReplyTo: thread.messageId,
    references: replyReferences({ ...thread, inReplyTo: original.inReplyTo }),
    origin,
  };
}

/**
 * Reopens a saved draft in the composer: recipients, subject, body, its attachments (copied into
 * this session's uploads), and what it replies to — from Letterbox's own draft header.
 */
export async function openDraft(account: MailAccount, ref: MessageRefData): Promise<DraftContent & { draft: MessageRefData }> {
  const message = await getMessage(account, ref, { allowRemote: false });
  if (!message.flags.draft) throw new AppError("DRAFT_NOT_FOUND");
  const thread = await readThreadHeaders(account, ref, [ORIGIN_HEADER]);
  return {
    to: message.to,
    cc: message.cc,
    bcc: message.bcc,
    subject: message.subject,
    format: "html",
    body: message.html,
    attachments: await importAttachments(account, ref, message.attachments),
    inReplyTo: message.inReplyTo,
    references: thread.references,
    origin: decodeOrigin(thread.extra[ORIGIN_HEADER]),
    draft: ref,
  };
}
