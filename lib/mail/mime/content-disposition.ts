import "server-only";

// RFC 8187 §3.2.1 attr-char: what may stand unencoded in an ext-value.
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function encodeExtValue(value: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * A Content-Disposition value (RFC 6266) that every browser reads the same way: an ASCII-only
 * `filename` for old clients and `filename*` (RFC 8187 UTF-8) with the real name, which RFC 6266
 * §4.3 says wins when both are present.
 */
export function contentDispositionHeader(filename: string, disposition: "attachment" | "inline"): string {
  const name =
    (typeof filename === "string" ? filename : "")
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
      .replace(/[\\/]/g, "_")
      .trim() || "download";
  // RFC 6266 Appendix D: in the fallback avoid "%" (some browsers percent-decode it) and "\"
  // (quoted-pair handling differs); quotes and non-ASCII cannot appear in a quoted-string safely.
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(name)}`;
}

// Types a browser shows as passive content. Anything else served inline from the app's origin
// could be a document that runs script (text/html, image/svg+xml, XML with XSLT, ...).
const PASSIVE_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/jpg",
  "image/pjpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
  "image/apng",
  "image/x-icon",
  "image/vnd.microsoft.icon",
  "application/pdf",
  "text/plain",
  "audio/mpeg",
  "audio/ogg",
  "audio/wav",
  "audio/webm",
  "audio/mp4",
  "video/mp4",
  "video/webm",
  "video/ogg",
]);

const CHARSET_PARAM = /(?:^|;)\s*charset\s*=\s*"?([A-Za-z0-9._:+-]{1,40})"?\s*(?:;|$)/i;

/**
 * The Content-Type to serve a part with when it is shown inline: passive types keep their type
 * (text/plain its charset), everything else becomes application/octet-stream.
 */
export function safeDownloadType(contentType: string): string {
  const value = typeof contentType === "string" ? contentType : "";
  const semicolon = value.indexOf(";");
  const essence = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  if (!PASSIVE_TYPES.has(essence)) return "application/octet-stream";
  if (essence === "text/plain") {
    const charset = CHARSET_PARAM.exec(semicolon === -1 ? "" : value.slice(semicolon))?.[1];
    return charset ? `text/plain; charset=${charset.toLowerCase()}` : "text/plain";
  }
  return essence;
}
