import type { UserSettings } from "@/lib/mail/types";
import { htmlToText } from "./composer-state";

// The user's signature goes into new messages, replies and forwards (not into a draft being
// finished, which has it already), above the quoted text, after the "-- " separator line that mail
// clients recognise (RFC 3676 §4.3).

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function textToHtml(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, "<br>");
}

/** The body with the signature put in, in the body's own format. */
export function withSignature(
  body: string,
  format: "html" | "text",
  signature: UserSettings["signature"],
  toText: (html: string) => string = htmlToText,
): string {
  const sig = signature.body.trim();
  if (!sig) return body;
  if (format === "text") {
    const plain = signature.format === "html" ? toText(sig).trim() : sig;
    return `\n\n-- \n${plain}\n${body ? `\n${body}` : ""}`;
  }
  const html = signature.format === "html" ? sig : textToHtml(sig);
  return `<p></p><p>-- <br>${html}</p>${body}`;
}
