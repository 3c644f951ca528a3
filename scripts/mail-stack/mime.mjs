// Small, dependency-free helpers to build RFC 5322 / MIME messages and sample files (PNG, PDF, ZIP),
// and to drop them into a Dovecot Maildir. Used by seed.mjs and fill.mjs; plain Node 20, no npm.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

// --- deterministic randomness ------------------------------------------------------------------

/** mulberry32: a tiny seeded PRNG, so generated mail is the same on every run. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  next.pick = (list) => list[Math.floor(next() * list.length)];
  next.chance = (p) => next() < p;
  next.hex = (n) => {
    let s = "";
    while (s.length < n)
      s += Math.floor(next() * 0x100000000)
        .toString(16)
        .padStart(8, "0");
    return s.slice(0, n);
  };
  return next;
}

/** Deterministic bytes (xorshift32), fast enough for tens of megabytes. */
export function pseudoRandomBytes(length, seed = 1) {
  const buf = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    buf.writeUInt32LE(x, i);
  }
  for (; i < length; i++) buf[i] = (i * 31 + seed) & 0xff;
  return buf;
}

// --- header encoding ---------------------------------------------------------------------------

const isAscii = (s) => /^[\x20-\x7e]*$/.test(s);

/** RFC 2047 encoded-words (UTF-8), split so each stays within 75 characters. */
export function encodeWords(text, mode = "B") {
  const words = [];
  let chunk = "";
  const flush = () => {
    if (!chunk) return;
    const bytes = Buffer.from(chunk, "utf8");
    if (mode === "B") words.push(`=?UTF-8?B?${bytes.toString("base64")}?=`);
    else {
      let q = "";
      for (const b of bytes) {
        if (b === 0x20) q += "_";
        else if (
          (b >= 0x30 && b <= 0x39) ||
          (b >= 0x41 && b <= 0x5a) ||
          (b >= 0x61 && b <= 0x7a) ||
          b === 0x2e ||
          b === 0x2d
        )
          q += String.fromCharCode(b);
        else q += "=" + b.toString(16).toUpperCase().padStart(2, "0");
      }
      words.push(`=?UTF-8?Q?${q}?=`);
    }
    chunk = "";
  };
  for (const ch of text) {
    const n = Buffer.byteLength(chunk + ch, "utf8");
    if ((mode === "B" && n > 45) || (mode === "Q" && n > 20)) flush();
    chunk += ch;
  }
  flush();
  return words.join(" ");
}

/** An unstructured header value (Subject): ASCII as-is, else encoded words. */
export function encodeText(text, mode = "B") {
  return isAscii(text) ? text : encodeWords(text, mode);
}

/** "Display Name <addr>" with quoting or RFC 2047 as needed. */
export function formatAddress(addr, mode = "B") {
  if (typeof addr === "string") return addr;
  const { name, email } = addr;
  if (!name) return email;
  if (!isAscii(name)) return `${encodeWords(name, mode)} <${email}>`;
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(name)) return `${name} <${email}>`;
  return `"${name.replace(/(["\\])/g, "\\$1")}" <${email}>`;
}

/** Folds a header line at spaces to keep lines under 78 characters where possible. */
export function foldHeader(name, value) {
  const line = `${name}: ${value}`;
  if (line.length <= 78) return line;
  const parts = line.split(" ");
  const out = [];
  let cur = parts.shift();
  for (const p of parts) {
    if (cur.length + 1 + p.length > 76) {
      out.push(cur);
      cur = " " + p;
    } else cur += " " + p;
  }
  out.push(cur);
  return out.join("\n");
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** RFC 5322 date for a UTC timestamp shown in a given zone offset (minutes east of UTC). */
export function rfc5322Date(ms, offsetMinutes = 0) {
  const d = new Date(ms + offsetMinutes * 60000);
  const pad = (n) => String(n).padStart(2, "0");
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return (
    `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

// --- body encoding -----------------------------------------------------------------------------

export function base64Lines(buf) {
  const b64 = buf.toString("base64");
  const lines = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join("\n") + "\n";
}

/** Quoted-printable (RFC 2045) of raw bytes, LF line ends, soft breaks at 76. */
export function quotedPrintable(buf) {
  const out = [];
  let line = "";
  const push = (tok) => {
    if (line.length + tok.length > 75) {
      out.push(line + "=");
      line = "";
    }
    line += tok;
  };
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a) {
      out.push(line);
      line = "";
      continue;
    }
    if (b === 0x0d && buf[i + 1] === 0x0a) continue;
    const atLineEnd = i + 1 === buf.length || buf[i + 1] === 0x0a;
    if ((b === 0x20 || b === 0x09) && !atLineEnd) push(String.fromCharCode(b));
    else if (b >= 0x21 && b <= 0x7e && b !== 0x3d) push(String.fromCharCode(b));
    else push("=" + b.toString(16).toUpperCase().padStart(2, "0"));
  }
  out.push(line);
  return out.join("\n") + (buf[buf.length - 1] === 0x0a ? "" : "\n");
}

const decoderMaps = new Map();
/** Encodes text in a single-byte charset known to TextDecoder (windows-1252, koi8-r, ...). */
export function encodeSingleByte(text, charset) {
  if (charset.toLowerCase() === "iso-8859-1") return Buffer.from(text, "latin1");
  let map = decoderMaps.get(charset);
  if (!map) {
    map = new Map();
    const dec = new TextDecoder(charset);
    for (let b = 0; b < 256; b++) {
      const ch = dec.decode(Uint8Array.of(b));
      if (ch !== "\uFFFD" && !map.has(ch)) map.set(ch, b);
    }
    if (/^(windows-1252|cp1252)$/i.test(charset)) {
      // Node 20's decoder treats windows-1252 as latin1: spell out 0x80-0x9F.
      const hi = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
      [...hi].forEach((ch, i) => map.set(ch, 0x80 + i));
    }
    decoderMaps.set(charset, map);
  }
  const out = [];
  for (const ch of text) {
    const b = map.get(ch);
    if (b === undefined) throw new Error(`${charset} cannot encode ${JSON.stringify(ch)}`);
    out.push(b);
  }
  return Buffer.from(out);
}

let jisMap;
/** ISO-2022-JP (JIS X 0208 via ESC $ B), built by inverting Node's EUC-JP decoder. */
export function encodeIso2022jp(text) {
  if (!jisMap) {
    jisMap = new Map();
    const dec = new TextDecoder("euc-jp");
    for (let b1 = 0xa1; b1 <= 0xfe; b1++) {
      for (let b2 = 0xa1; b2 <= 0xfe; b2++) {
        const ch = dec.decode(Uint8Array.of(b1, b2));
        if (ch.length === 1 && ch !== "\uFFFD" && !jisMap.has(ch)) jisMap.set(ch, [b1 - 0x80, b2 - 0x80]);
      }
    }
  }
  const out = [];
  let jis = false;
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (code < 0x80) {
      if (jis) out.push(0x1b, 0x28, 0x42);
      jis = false;
      out.push(code);
    } else {
      const pair = jisMap.get(ch);
      if (!pair) throw new Error(`ISO-2022-JP cannot encode ${JSON.stringify(ch)}`);
      if (!jis) out.push(0x1b, 0x24, 0x42);
      jis = true;
      out.push(...pair);
    }
  }
  if (jis) out.push(0x1b, 0x28, 0x42);
  return Buffer.from(out);
}

// --- MIME entities -----------------------------------------------------------------------------
// An entity is { headers: string[], body: Buffer }. Lines end in LF (Maildir convention).

let boundaryCounter = 0;
export function resetBoundaries() {
  boundaryCounter = 0;
}

export function textPart(text, { subtype = "plain", charset = "utf-8", cte, bytes, format } = {}) {
  const raw = bytes ?? Buffer.from(text.endsWith("\n") ? text : text + "\n", "utf8");
  const ascii = !raw.some((b) => b > 0x7e);
  const encoding =
    cte ??
    (ascii &&
    !raw
      .toString("latin1")
      .split("\n")
      .some((l) => l.length > 900)
      ? "7bit"
      : "quoted-printable");
  const body =
    encoding === "base64" ? base64Lines(raw) : encoding === "quoted-printable" ? quotedPrintable(raw) : raw;
  return {
    headers: [
      `Content-Type: text/${subtype}; charset=${/[^a-z0-9-]/i.test(charset) ? `"${charset}"` : charset}${format ? `; format=${format}` : ""}`,
      `Content-Transfer-Encoding: ${encoding}`,
    ],
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, "latin1"),
  };
}

/** RFC 2231 filename parameter when the name is not plain ASCII. */
function filenameParams(filename, param) {
  if (isAscii(filename) && !/["\\]/.test(filename)) return `${param}="${filename}"`;
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
  return `${param}*=UTF-8''${encoded}`;
}

export function filePart(data, { type, filename, inline = false, cid, description }) {
  const headers = [];
  headers.push(
    filename ? `Content-Type: ${type};\n ${filenameParams(filename, "name")}` : `Content-Type: ${type}`,
  );
  headers.push("Content-Transfer-Encoding: base64");
  if (cid) headers.push(`Content-ID: <${cid}>`);
  if (description) headers.push(`Content-Description: ${description}`);
  headers.push(
    `Content-Disposition: ${inline ? "inline" : "attachment"}${filename ? `;\n ${filenameParams(filename, "filename")}` : ""}`,
  );
  return { headers, body: Buffer.from(base64Lines(data), "ascii") };
}

export function messagePart(messageBuffer, { filename } = {}) {
  return {
    headers: [
      "Content-Type: message/rfc822",
      `Content-Disposition: attachment${filename ? `; ${filenameParams(filename, "filename")}` : ""}`,
    ],
    body: messageBuffer,
  };
}

export function multipart(subtype, parts, extraParams = "") {
  boundaryCounter++;
  const boundary = `----=_Letterbox_${String(boundaryCounter).padStart(4, "0")}_${subtype}`;
  const chunks = [Buffer.from("This is a multi-part message in MIME format.\n")];
  for (const p of parts) {
    chunks.push(Buffer.from(`\n--${boundary}\n${p.headers.join("\n")}\n\n`));
    chunks.push(p.body);
    if (p.body.length && p.body[p.body.length - 1] !== 0x0a) chunks.push(Buffer.from("\n"));
  }
  chunks.push(Buffer.from(`\n--${boundary}--\n`));
  return {
    headers: [`Content-Type: multipart/${subtype};${extraParams}\n boundary="${boundary}"`],
    body: Buffer.concat(chunks),
  };
}

/**
 * A whole message: { from, to, cc, subject, date (ms), tz (minutes), messageId, inReplyTo, references,
 * headers (extra lines), body (entity) } → Buffer.
 */
export function buildMessage(m) {
  const mode = m.encoding ?? "B";
  const h = [];
  h.push(`Return-Path: <${typeof m.from === "string" ? m.from.replace(/.*<|>.*/g, "") : m.from.email}>`);
  if (m.received !== false)
    h.push(
      `Received: from mail.example.test (localhost [127.0.0.1])\n\tby mail.example.test (Letterbox seed) with LMTP;\n\t${rfc5322Date(m.date, m.tz ?? 0)}`,
    );
  h.push(foldHeader("From", formatAddress(m.from, mode)));
  if (m.replyTo) h.push(foldHeader("Reply-To", formatAddress(m.replyTo, mode)));
  if (m.to?.length) h.push(foldHeader("To", m.to.map((a) => formatAddress(a, mode)).join(", ")));
  if (m.cc?.length) h.push(foldHeader("Cc", m.cc.map((a) => formatAddress(a, mode)).join(", ")));
  h.push(foldHeader("Subject", m.rawSubject ?? encodeText(m.subject, mode)));
  h.push(`Date: ${rfc5322Date(m.date, m.tz ?? 0)}`);
  h.push(`Message-ID: <${m.messageId}>`);
  if (m.inReplyTo) h.push(`In-Reply-To: <${m.inReplyTo}>`);
  if (m.references?.length) h.push(foldHeader("References", m.references.map((r) => `<${r}>`).join(" ")));
  for (const line of m.headers ?? []) h.push(line);
  h.push("MIME-Version: 1.0");
  h.push(...m.body.headers);
  return Buffer.concat([Buffer.from(h.join("\n") + "\n\n", "utf8"), m.body.body]);
}

// --- sample files ------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
export function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A valid RGB PNG; pixel(x, y) returns [r, g, b]. */
export function png(width, height, pixel) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export const solidPng = (w, h, [r, g, b]) => png(w, h, () => [r, g, b]);

/** A one-page PDF with a few lines of Helvetica text; valid xref so viewers open it. */
export function pdf(title, lines) {
  const esc = (s) => s.replace(/[\\()]/g, "\\$&").replace(/[^\x20-\x7e]/g, "?");
  let content = `BT /F1 20 Tf 72 720 Td (${esc(title)}) Tj ET\n`;
  lines.forEach((l, i) => (content += `BT /F1 11 Tf 72 ${690 - i * 16} Td (${esc(l)}) Tj ET\n`));
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}endstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Title (${esc(title)}) /Producer (Letterbox seed) >>`,
  ];
  let out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/** A ZIP archive with stored (uncompressed) entries: [{ name, data }]. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x5021, 12); // 2020-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5021, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// --- Dovecot / Maildir -------------------------------------------------------------------------

export function stackEnv() {
  const state = process.env.MAIL_STATE_DIR;
  if (!state) throw new Error("MAIL_STATE_DIR is not set: run this through scripts/mail-stack/mail-stack.sh");
  return {
    state,
    doveadmBin: process.env.MAIL_DOVEADM_BIN || "/usr/bin/doveadm",
    conf: process.env.MAIL_DOVECOT_CONF || path.join(state, "dovecot.conf"),
    uid: Number(process.env.MAIL_VMAIL_UID ?? -1),
    gid: Number(process.env.MAIL_VMAIL_GID ?? -1),
    domain: process.env.MAIL_DOMAIN || "example.test",
  };
}

export function doveadm(env, args, { allowFail = false, input } = {}) {
  try {
    return execFileSync(env.doveadmBin, ["-c", env.conf, ...args], {
      encoding: "utf8",
      input,
      maxBuffer: 64 * 1024 * 1024,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
  } catch (e) {
    if (allowFail) return null;
    throw new Error(`doveadm ${args.join(" ")} failed: ${(e.stderr || e.message || "").toString().trim()}`);
  }
}

export function listMailboxes(env, user) {
  return doveadm(env, ["mailbox", "list", "-u", user]).split("\n").filter(Boolean);
}

/** Creates (and subscribes) the mailbox if missing; returns its Maildir path with cur/new/tmp present. */
export function ensureMailbox(env, user, name, existing = listMailboxes(env, user)) {
  if (!existing.includes(name)) {
    doveadm(env, ["mailbox", "create", "-s", "-u", user, name], { allowFail: true });
    existing.push(name);
  }
  const dir = doveadm(env, ["mailbox", "path", "-u", user, name]).trim().split("\n").pop();
  for (const sub of ["", "cur", "new", "tmp"]) {
    const p = path.join(dir, sub);
    if (!fs.existsSync(p)) {
      fs.mkdirSync(p, { recursive: true, mode: 0o700 });
      if (env.uid >= 0) fs.chownSync(p, env.uid, env.gid);
    }
  }
  return dir;
}

const HOST = "letterbox";
let delivery = 0;

/**
 * Writes one message into <dir>/cur the Maildir way (tmp/ then rename), named
 * <secs>.M<usecs>P<pid>Q<n>.<host>,S=<size>,W=<vsize>:2,<flags>, with the file's mtime set to the
 * message date: Dovecot takes INTERNALDATE from it and orders new UIDs by the name's time.
 */
export function writeMaildirMessage(env, dir, message, dateMs, flags = "") {
  delivery++;
  const secs = Math.floor(dateMs / 1000);
  const usecs = (dateMs % 1000) * 1000 + (delivery % 1000);
  let lf = 0;
  for (let i = message.indexOf(10); i !== -1; i = message.indexOf(10, i + 1)) lf++;
  const base = `${secs}.M${usecs}P${process.pid}Q${delivery}.${HOST},S=${message.length},W=${message.length + lf}`;
  const tmp = path.join(dir, "tmp", base);
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeSync(fd, message);
    if (env.uid >= 0) fs.fchownSync(fd, env.uid, env.gid);
    fs.futimesSync(fd, secs, secs);
  } finally {
    fs.closeSync(fd);
  }
  const flagStr = [...new Set(flags.split(""))].sort().join("");
  const name = `${base}:2,${flagStr}`;
  fs.renameSync(tmp, path.join(dir, "cur", name));
  return name;
}

export function normalizeUser(user, domain) {
  return user.includes("@") ? user.toLowerCase() : `${user.toLowerCase()}@${domain}`;
}
