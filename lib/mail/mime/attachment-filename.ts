import "server-only";
import libmime from "libmime";

const MAX_FILENAME_CHARS = 180;

function decodeEncodedWords(value: string): string {
  try {
    // Filenames are often sent as RFC 2047 encoded-words although RFC 2047 §5 forbids them in
    // parameters; every mail client decodes them anyway, so senders keep doing it.
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

function truncateKeepingExtension(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= MAX_FILENAME_CHARS) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length > 0 && extension.length <= 16) {
    return chars.slice(0, MAX_FILENAME_CHARS - extension.length).join("") + extension.join("");
  }
  return chars.slice(0, MAX_FILENAME_CHARS).join("");
}

/**
 * A sender-supplied filename made safe to show and to offer for download: encoded-words decoded,
 * no control characters (a CR/LF would end a header), no bidi overrides (which make
 * "invoice\u202Efdp.exe" read as "invoiceexe.pdf"), no path separators and no leading dots.
 * Returns "" when nothing usable is left, so the caller can fall back to a generated name.
 */
export function cleanFilename(raw: string): string {
  const cleaned = decodeEncodedWords(raw)
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[\\/]/g, "_")
    .trim()
    .replace(/^\.+/, "")
    .trim();
  return truncateKeepingExtension(cleaned);
}

/** A name for a part that has none: "attachment-1.2.png". */
export function fallbackFilename(partId: string, contentType: string): string {
  let extension = "bin";
  try {
    extension = libmime.detectExtension(contentType) || "bin";
  } catch {
    // an unknown type keeps "bin"
  }
  return `attachment-${partId}.${extension}`;
}
