import "server-only";
import { convert } from "html-to-text";
import { decode as decodeCharset } from "libmime/lib/charset";
import type { MimeNode } from "./mime-node";
import { planBody } from "./plan-body";

/**
 * A list row's second line for servers that offer no preview of their own (no PREVIEW, RFC 8970,
 * nor SNIPPET): the first words of the message's text, made from the first few kilobytes of one
 * body part (a partial FETCH, never the whole message). Everything here is pure and works on a
 * part cut anywhere — inside a base64 quantum, a quoted-printable escape or a multi-byte
 * character — because the fetch stops at a byte count, not at a boundary.
 */

/** The part a snippet is read from, and how to decode it. */
export interface SnippetPart {
  /** IMAP part number ("1", "1.2"). */
  part: string;
  html: boolean;
  /** Content-Transfer-Encoding, lower case ("base64", "quoted-printable", "7bit", …). */
  encoding: string;
  charset: string | null;
  /** Encoded size as BODYSTRUCTURE says, when it says. */
  size: number | null;
}

/** How many characters a snippet keeps: a row shows about a hundred. */
export const SNIPPET_CHARS = 140;

// Bytes fetched from the part's start. Plain text reaches 140 characters in a few hundred bytes
// even as base64 of a multi-byte script; HTML often opens with a head full of CSS, so it gets more.
export const TEXT_BYTES = 4 * 1024;
export const HTML_BYTES = 16 * 1024;

const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g;
const PART_ID = /^[1-9][0-9]*(?:\.[1-9][0-9]*)*$/;
const MAX_DEPTH = 50;

function mediaType(node: MimeNode): string {
  return typeof node.type === "string" ? node.type.trim().toLowerCase() : "";
}

function parameter(node: MimeNode, name: string): string | null {
  for (const [key, value] of Object.entries(node.parameters ?? {})) {
    if (key.toLowerCase() === name && typeof value === "string" && value.trim()) return value.trim();
  }
  return null;
}

/** The node with IMAP part number `wanted`, numbering children as plan-body.ts does. */
function findNode(node: MimeNode, id: string, wanted: string, depth: number): MimeNode | null {
  if (id === wanted) return node;
  if (!mediaType(node).startsWith("multipart/") || depth >= MAX_DEPTH || !Array.isArray(node.childNodes)) return null;
  for (let index = 0; index < node.childNodes.length; index++) {
    const child = node.childNodes[index];
    if (!child || typeof child !== "object") continue;
    const derived = id ? `${id}.${index + 1}` : String(index + 1);
    const childId = typeof child.part === "string" && PART_ID.test(child.part) ? child.part : derived;
    const found = findNode(child, childId, wanted, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * The part to read a snippet from: the message's plain text, else its HTML (the reader's own
 * choice of body, plan-body.ts, so a snippet never comes from an attachment). Null when the
 * message has no text to show (an image alone, a calendar invitation).
 */
export function chooseSnippetPart(root: MimeNode): SnippetPart | null {
  const plan = planBody(root);
  const part = plan.textPart ?? plan.htmlPart;
  if (!part || !PART_ID.test(part)) return null;
  // RFC 3501 §6.4.5: a single-part message's body is part 1, and its root carries no number.
  const rootId = typeof root.part === "string" && PART_ID.test(root.part) ? root.part : mediaType(root).startsWith("multipart/") ? "" : "1";
  const node = findNode(root, rootId, part, 0);
  if (!node) return null;
  return {
    part,
    html: part !== plan.textPart,
    encoding: (typeof node.encoding === "string" ? node.encoding : "7bit").trim().toLowerCase(),
    charset: parameter(node, "charset"),
    size: typeof node.size === "number" && node.size >= 0 ? node.size : null,
  };
}

/** Bytes to fetch of `part`: its whole size when smaller than the bound. */
export function snippetByteCount(part: SnippetPart): number {
  const bound = part.html ? HTML_BYTES : TEXT_BYTES;
  return part.size !== null ? Math.max(1, Math.min(bound, part.size)) : bound;
}

/**
 * Base64 (RFC 2045 §6.8) cut anywhere: only whole 4-character quanta are decoded, so a cut never
 * adds garbage bytes. Characters outside the alphabet (line breaks) are ignored, as the RFC says.
 */
export function decodeCutBase64(encoded: Buffer, complete: boolean): Buffer {
  const text = encoded.toString("latin1").replace(/[^A-Za-z0-9+/=]/g, "");
  const usable = complete ? text : text.slice(0, text.length - (text.length % 4));
  return Buffer.from(usable, "base64");
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/**
 * Quoted-printable (RFC 2045 §6.7) cut anywhere: "=XX" escapes and soft line breaks ("=" at the
 * end of a line) are undone; an escape the cut split ("=" or "=4" at the very end) is dropped
 * rather than shown as text. A malformed escape in the middle is kept as it stands (rule 1's
 * advice to be lenient).
 */
export function decodeCutQuotedPrintable(encoded: Buffer, complete: boolean): Buffer {
  const out = Buffer.alloc(encoded.length);
  let length = 0;
  for (let i = 0; i < encoded.length; i++) {
    const byte = encoded[i]!;
    if (byte !== 0x3d) {
      out[length++] = byte;
      continue;
    }
    const high = hexValue(encoded[i + 1]);
    const low = hexValue(encoded[i + 2]);
    if (high >= 0 && low >= 0) {
      out[length++] = high * 16 + low;
      i += 2;
      continue;
    }
    // Soft line break: "=" then optional trailing blanks, then CRLF (or a bare LF).
    let j = i + 1;
    while (encoded[j] === 0x20 || encoded[j] === 0x09) j++;
    if (encoded[j] === 0x0d && encoded[j + 1] === 0x0a) {
      i = j + 1;
      continue;
    }
    if (encoded[j] === 0x0a) {
      i = j;
      continue;
    }
    // At the cut: an escape or a soft break the fetch did not finish.
    if (!complete && j >= encoded.length - 1) break;
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

/** Drops a UTF-8 sequence the cut left unfinished, so it does not end the text as "�". */
function trimCutUtf8(bytes: Buffer): Buffer {
  let start = bytes.length - 1;
  // Step back over continuation bytes (10xxxxxx) to the lead byte of the last sequence.
  while (start > 0 && start > bytes.length - 4 && (bytes[start]! & 0xc0) === 0x80) start--;
  const lead = bytes[start];
  if (lead === undefined || lead < 0xc0) return bytes;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return bytes.length - start < needed ? bytes.subarray(0, start) : bytes;
}

/** Text of the fetched bytes: transfer encoding undone, then the charset (libmime's decoders). */
export function decodeSnippetBytes(bytes: Buffer, part: Pick<SnippetPart, "encoding" | "charset">, complete: boolean): string {
  let raw: Buffer;
  if (part.encoding === "base64") raw = decodeCutBase64(bytes, complete);
  else if (part.encoding === "quoted-printable") raw = decodeCutQuotedPrintable(bytes, complete);
  else raw = bytes;
  const charset = part.charset ?? "utf-8";
  const utf8 = /^(utf-?8|us-ascii|ascii)$/i.test(charset);
  if (!complete && utf8) raw = trimCutUtf8(raw);
  // libmime refuses UTF-7 and other non-charsets (decoded as UTF-8 instead): a known way to hide markup.
  let text = decodeCharset(raw, charset);
  // A multi-byte charset cut mid-character ends in replacement characters: not part of the text.
  if (!complete) text = text.replace(/\ufffd+$/, "");
  return text;
}

/**
 * HTML to text, never rendered: htmlparser2 (through html-to-text) only tokenizes, so nothing is
 * fetched, run or styled. A document cut in the middle parses as far as it goes. Images, heads,
 * styles and scripts give no text; links give their words, not their addresses.
 */
export function htmlSnippetText(html: string): string {
  return convert(html, {
    wordwrap: false,
    preserveNewlines: false,
    limits: { maxInputLength: HTML_BYTES * 4, maxDepth: 100, maxChildNodes: 500, ellipsis: "" },
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
      { selector: "head", format: "skip" },
      { selector: "style", format: "skip" },
      { selector: "script", format: "skip" },
      { selector: "title", format: "skip" },
      { selector: "blockquote", format: "skip" },
      { selector: "h1", options: { uppercase: false } },
      { selector: "h2", options: { uppercase: false } },
      { selector: "h3", options: { uppercase: false } },
      { selector: "h4", options: { uppercase: false } },
      { selector: "h5", options: { uppercase: false } },
      { selector: "h6", options: { uppercase: false } },
      { selector: "hr", format: "skip" },
    ],
  });
}

/**
 * The words a reader sees first: quoted lines ("> …") and the attribution line before them are
 * left out, and the text stops at the signature separator ("-- ", RFC 3676 §4.3).
 */
export function leadingWords(text: string): string {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "-- " || line === "--") break;
    if (/^\s*>/.test(line)) continue;
    // "On Tue, 3 Dec 2026, Ann wrote:" introduces a quote: it says nothing of its own.
    const next = lines.slice(i + 1).find((l) => l.trim() !== "");
    if (/:\s*$/.test(line) && next !== undefined && /^\s*>/.test(next)) continue;
    kept.push(line);
  }
  return kept.join(" ").replace(/\s+/g, " ").trim();
}

/** Cuts `text` to about SNIPPET_CHARS at a word boundary; "…" when something was left out. */
export function cutSnippet(text: string, more: boolean): string {
  const chars = Array.from(text);
  if (chars.length <= SNIPPET_CHARS) return more && text ? `${text}…` : text;
  let cut = chars.slice(0, SNIPPET_CHARS).join("");
  const space = cut.lastIndexOf(" ");
  if (space > SNIPPET_CHARS * 0.6) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/**
 * A snippet from the first bytes of `part` (`complete`: the bytes are the whole part). Returns
 * plain text without markup, whitespace folded, at most about SNIPPET_CHARS characters; "" when
 * the part holds no words.
 */
export function snippetFromPart(bytes: Buffer, part: SnippetPart, complete: boolean): string {
  const decoded = decodeSnippetBytes(bytes, part, complete);
  const text = part.html ? htmlSnippetText(decoded) : decoded;
  // Mail is hostile: control, zero-width and direction characters (a row could be made to read
  // backwards) go before the text is cut, as in the server's own previews (cleanPreview).
  const visible = leadingWords(text.replace(HIDDEN, (c) => (c === "\n" || c === "\r" ? c : " ")));
  return cutSnippet(visible.replace(/\s+/g, " ").trim(), !complete);
}
