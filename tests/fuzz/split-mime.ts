import libmime from "libmime";
import type { MimeNode } from "@/lib/mail/mime/mime-node";

// A small, forgiving MIME splitter that describes a raw message the way an IMAP server's
// BODYSTRUCTURE would (RFC 3501 §7.4.2): the MIME fuzzer feeds its trees to planBody(). It is test
// code, lenient where servers are: a part with no boundary is one leaf, a missing closing
// delimiter ends at the end of the data, nesting stops at a depth servers also cap.

const MAX_DEPTH = 32;

function splitHeader(raw: string): { header: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  return m ? { header: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) } : { header: raw, body: "" };
}

function first(headers: Record<string, string[] | undefined>, name: string): string | undefined {
  return headers[name]?.[0];
}

function describe(raw: string, part: string | undefined, depth: number): MimeNode {
  const { header, body } = splitHeader(raw);
  let headers: Record<string, string[] | undefined> = {};
  try {
    headers = libmime.decodeHeaders(header) as Record<string, string[] | undefined>;
  } catch {
    headers = {};
  }
  const contentType = libmime.parseHeaderValue(first(headers, "content-type") ?? "text/plain") as {
    value: string;
    params: Record<string, string>;
  };
  const type = (contentType.value || "text/plain").toLowerCase();
  const node: MimeNode = { part, type, parameters: contentType.params, size: body.length };
  const encoding = first(headers, "content-transfer-encoding");
  if (encoding) node.encoding = encoding.trim().toLowerCase();
  const id = first(headers, "content-id");
  if (id) node.id = id.trim();
  const disposition = first(headers, "content-disposition");
  if (disposition) {
    const parsed = libmime.parseHeaderValue(disposition) as { value: string; params: Record<string, string> };
    node.disposition = parsed.value.toLowerCase();
    node.dispositionParameters = parsed.params;
  }
  const boundary = contentType.params.boundary;
  if (type.startsWith("multipart/") && boundary && depth < MAX_DEPTH) {
    const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const sections = body.split(new RegExp(`(?:^|\\r?\\n)--${escaped}(--)?[ \\t]*(?:\\r?\\n|$)`));
    // split() with groups interleaves the captured "--"; the preamble is sections[0].
    const parts: string[] = [];
    for (let i = 1; i < sections.length; i += 2) {
      if (sections[i] === "--") break;
      const content = sections[i + 1];
      if (content !== undefined) parts.push(content);
    }
    node.childNodes = parts.map((content, i) => describe(content, part ? `${part}.${i + 1}` : String(i + 1), depth + 1));
  } else if (type === "message/rfc822" && depth < MAX_DEPTH) {
    const inner = splitHeader(body);
    let subject: string | undefined;
    try {
      subject = first(libmime.decodeHeaders(inner.header) as Record<string, string[] | undefined>, "subject");
    } catch {
      subject = undefined;
    }
    node.envelope = { subject };
    node.childNodes = [describe(body, `${part ?? "1"}`, depth + 1)];
  }
  return node;
}

/** The message's MIME tree, numbered as IMAP numbers body parts. */
export function splitMime(raw: Buffer): MimeNode {
  const root = describe(raw.toString("latin1"), undefined, 0);
  // A single-part message's only part is "1" (RFC 3501 §6.4.5).
  if (!root.childNodes || !root.type.startsWith("multipart/")) root.part = "1";
  return root;
}
