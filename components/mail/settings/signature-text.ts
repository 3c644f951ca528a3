// Switching a signature between plain text and rich text keeps its words.

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Plain text as the rich editor's paragraphs: one per line, blank lines kept as empty ones. */
export function textToSignatureHtml(text: string): string {
  if (!text.trim()) return "";
  return text
    .split(/\r?\n/)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join("");
}

/** The words of a rich signature, one line per paragraph or line break (in the browser). */
export function signatureHtmlToText(html: string): string {
  if (!html.trim()) return "";
  const doc = new DOMParser().parseFromString(html.replace(/<br\s*\/?>/gi, "\n").replace(/<\/(p|li|blockquote)>/gi, "$&\n"), "text/html");
  return (doc.body.textContent ?? "").replace(/\n+$/, "");
}
