// Recipient parsing, shared by the composer (chips) and the server (which never trusts the chips).
// The grammar is RFC 5322's, with RFC 6532 UTF-8, as implemented by the email-addresses library.
import emailAddresses from "email-addresses";
import type { Address } from "./types";

export interface ParsedRecipient {
  /** What the user typed for this one recipient, trimmed. */
  text: string;
  /** The parsed address, or null when it is not a valid mailbox. */
  address: Address | null;
}

/**
 * Splits pasted or typed text into recipient tokens at commas and semicolons (Outlook separates with
 * semicolons, RFC 5322 with commas) outside quoted names, comments and angle brackets. Splitting only
 * finds the boundaries; each token is then parsed by the RFC 5322 parser.
 */
export function splitRecipients(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "\\" && quoted) {
      current += ch + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (ch === '"' && comment === 0) quoted = !quoted;
    else if (!quoted && ch === "(") comment++;
    else if (!quoted && ch === ")" && comment > 0) comment--;
    else if (!quoted && comment === 0 && ch === "<") angle++;
    else if (!quoted && comment === 0 && ch === ">" && angle > 0) angle--;
    if ((ch === "," || ch === ";" || ch === "\n") && !quoted && angle === 0 && comment === 0) {
      if (current.trim()) tokens.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  if (current.trim()) tokens.push(current.trim());
  return tokens;
}

/** One recipient: "Name <addr>", "<addr>" or "addr". Groups are not recipients of a new message. */
export function parseRecipient(text: string): ParsedRecipient {
  const trimmed = text.trim();
  const parsed = emailAddresses.parseOneAddress({ input: trimmed, rfc6532: true, rejectTLD: true });
  if (!parsed || parsed.type !== "mailbox") return { text: trimmed, address: null };
  return { text: trimmed, address: { name: parsed.name ?? "", address: parsed.address } };
}

export function parseRecipients(text: string): ParsedRecipient[] {
  return splitRecipients(text).map(parseRecipient);
}

/** True when `address` alone (no name) is a valid mailbox: the server's check of what the chips send. */
export function isValidMailbox(address: string): boolean {
  const parsed = emailAddresses.parseOneAddress({ input: address, rfc6532: true, rejectTLD: true });
  return !!parsed && parsed.type === "mailbox" && parsed.address === address;
}

export function formatAddress(a: Address): string {
  if (!a.name) return a.address;
  return /[",;<>()@\\]/.test(a.name) ? `"${a.name.replace(/(["\\])/g, "\\$1")}" <${a.address}>` : `${a.name} <${a.address}>`;
}
