import "server-only";
import libmime from "libmime";

// The header section of a hostile message could be endless; the fields needed here come early.
const MAX_HEADER_BYTES = 256 * 1024;

export interface ArrivalHeaders {
  /** The Date header (RFC 5322 §3.6.1) when present and readable. */
  date: Date | null;
  /** The Message-ID (RFC 5322 §3.6.4) as written, with its angle brackets, or null. */
  messageId: string | null;
  /** The Subject, encoded-words decoded (RFC 2047), or null. */
  subject: string | null;
}

/**
 * The header fields a fetcher needs from raw message bytes: Date, for the INTERNALDATE of the copy
 * it files; Message-ID, to recognise that copy later; Subject, to name a message it had to leave.
 * Reads only the header section.
 */
export function readArrivalHeaders(raw: Buffer): ArrivalHeaders {
  const window = raw.subarray(0, MAX_HEADER_BYTES);
  let end = window.indexOf("\r\n\r\n");
  if (end < 0) end = window.indexOf("\n\n");
  const headerText = window.subarray(0, end < 0 ? window.length : end).toString("latin1");
  const headers = libmime.decodeHeaders(headerText) as Record<string, string[] | undefined>;
  const dateValue = headers["date"]?.[0]?.trim();
  // Comments such as "(UTC)" are allowed after the zone (RFC 5322 §3.2.2); Date.parse is not told.
  const parsed = dateValue ? Date.parse(dateValue.replace(/\([^)]*\)/g, " ").trim()) : Number.NaN;
  const messageId = headers["message-id"]?.[0]?.trim().match(/^<[^<>\s]+>/)?.[0] ?? null;
  const rawSubject = headers["subject"]?.[0];
  let subject: string | null = null;
  if (rawSubject !== undefined) {
    try {
      subject = libmime.decodeWords(rawSubject).trim();
    } catch {
      subject = rawSubject.trim();
    }
  }
  return { date: Number.isFinite(parsed) ? new Date(parsed) : null, messageId, subject };
}
