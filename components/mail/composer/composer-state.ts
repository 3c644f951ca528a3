// The composer's state, and the pure conversions around it: what is sent, what is kept in the browser.
import { parseRecipient } from "@/lib/mail/addresses";
import type { Address, DraftContent, MessageRefData, UploadedFile } from "@/lib/mail/types";
import type { ComposeRequest } from "@/components/mail/data/api-client";

export interface Chip {
  text: string;
  address: Address | null;
}

export interface AttachmentItem {
  localId: string;
  filename: string;
  size: number;
  status: "uploading" | "done" | "error";
  loaded: number;
  upload: UploadedFile | null;
  error: string | null;
}

export interface ComposerState {
  to: Chip[];
  cc: Chip[];
  bcc: Chip[];
  subject: string;
  format: "html" | "text";
  /** HTML in "html" format; plain text in "text" format. */
  body: string;
  attachments: AttachmentItem[];
  inReplyTo: string | null;
  references: string[];
  origin: DraftContent["origin"];
  /** The saved version in Drafts, replaced on the next save and deleted once sent. */
  draft: MessageRefData | null;
  /** One per message: a retry of the same send is recognised by the server. */
  idempotencyKey: string;
}

export const chipOf = (a: Address): Chip => ({ text: a.name ? `${a.name} <${a.address}>` : a.address, address: a });

export function newState(from?: Partial<DraftContent> & { draft?: MessageRefData | null }): ComposerState {
  return {
    to: (from?.to ?? []).map(chipOf),
    cc: (from?.cc ?? []).map(chipOf),
    bcc: (from?.bcc ?? []).map(chipOf),
    subject: from?.subject ?? "",
    format: from?.format ?? "html",
    body: from?.body ?? "",
    attachments: (from?.attachments ?? []).map((u) => ({
      localId: u.id,
      filename: u.filename,
      size: u.size,
      status: "done",
      loaded: u.size,
      upload: u,
      error: null,
    })),
    inReplyTo: from?.inReplyTo ?? null,
    references: from?.references ?? [],
    origin: from?.origin ?? null,
    draft: from?.draft ?? null,
    idempotencyKey: crypto.randomUUID(),
  };
}

export const validAddresses = (chips: Chip[]) => chips.flatMap((c) => (c.address ? [c.address] : []));
export const invalidChips = (s: ComposerState) => [...s.to, ...s.cc, ...s.bcc].filter((c) => !c.address);

export function toRequest(s: ComposerState): ComposeRequest {
  return {
    to: validAddresses(s.to),
    cc: validAddresses(s.cc),
    bcc: validAddresses(s.bcc),
    subject: s.subject,
    format: s.format,
    body: s.body,
    attachmentIds: s.attachments.flatMap((a) => (a.status === "done" && a.upload ? [a.upload.id] : [])),
    inReplyTo: s.inReplyTo,
    references: s.references,
    origin: s.origin,
  };
}

/** Whether the user has written anything worth saving. */
export function hasContent(s: ComposerState): boolean {
  const text = s.format === "html" ? s.body.replace(/<[^>]*>/g, "").trim() : s.body.trim();
  return s.to.length + s.cc.length + s.bcc.length > 0 || !!s.subject.trim() || !!text || s.attachments.length > 0;
}

/** Chips kept in the browser are text the user typed, not trusted data: parsed again on restore. */
export function reparseChips(s: ComposerState): ComposerState {
  const reparse = (chips: Chip[]) => chips.map((c) => parseRecipient(c.text));
  return { ...s, to: reparse(s.to), cc: reparse(s.cc ?? []), bcc: reparse(s.bcc ?? []) };
}

// --- format switching -------------------------------------------------------------------------------

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

export function textToParagraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** The text of composed HTML for the plain-text mode: blocks on their own lines, quotes with "> ". */
export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll("br").forEach((br) => br.replaceWith("\n"));
  const lines: string[] = [];
  const walk = (node: Element, prefix: string) => {
    for (const child of Array.from(node.children)) {
      const tag = child.tagName.toLowerCase();
      if (tag === "blockquote") walk(child, `${prefix}> `);
      else if (tag === "ul" || tag === "ol") {
        Array.from(child.children).forEach((li, i) => lines.push(`${prefix}${tag === "ol" ? `${i + 1}.` : "*"} ${li.textContent ?? ""}`));
        lines.push(prefix.trimEnd());
      } else {
        const text = child.textContent ?? "";
        for (const line of text.split("\n")) lines.push(`${prefix}${line}`);
        if (tag === "p") lines.push(prefix.trimEnd());
      }
    }
  };
  walk(doc.body, "");
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}
