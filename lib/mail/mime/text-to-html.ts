import "server-only";

// Deeper quoting than this is shown at this depth: each level is a nested element, and a line of
// ten thousand ">" should not become ten thousand of them.
const MAX_QUOTE_DEPTH = 24;

const URL_START = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
const TRAILING_PUNCTUATION = /[.,;:!?'"*]/;

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Drops what is more likely prose than URL from the end: "see http://x.org/a." or "(http://x)". */
function trimUrl(url: string): string {
  const opened: Record<string, number> = { ")": 0, "]": 0, "}": 0 };
  const closed: Record<string, number> = { ")": 0, "]": 0, "}": 0 };
  const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  for (const ch of url) {
    const closer = pairs[ch];
    if (closer) opened[closer] = (opened[closer] ?? 0) + 1;
    else if (ch in closed) closed[ch] = (closed[ch] ?? 0) + 1;
  }
  let end = url.length;
  while (end > 0) {
    const last = url.charAt(end - 1);
    if (TRAILING_PUNCTUATION.test(last)) {
      end--;
    } else if (last in closed && (closed[last] ?? 0) > (opened[last] ?? 0)) {
      closed[last] = (closed[last] ?? 0) - 1;
      end--;
    } else {
      break;
    }
  }
  return url.slice(0, end);
}

interface Link {
  start: number;
  end: number;
  href: string;
}

function findUrls(text: string): Link[] {
  const links: Link[] = [];
  for (const match of text.matchAll(URL_START)) {
    const url = trimUrl(match[0]);
    const start = match.index;
    // "http://" alone, or "www." followed by nothing that looks like a host, is just text.
    if (!/^(?:https?:\/\/|www\.)[^./]/i.test(url)) continue;
    const href = /^www\./i.test(url) ? `http://${url}` : url;
    links.push({ start, end: start + url.length, href });
  }
  return links;
}

// Found by expanding around each "@" rather than with one regular expression: a pattern like
// [chars]+@[chars]+ backtracks quadratically over a long run without an "@", and a plain-text
// part can be megabytes long.
function findEmails(text: string, urls: readonly Link[]): Link[] {
  const links: Link[] = [];
  let next = 0;
  // `urls` is in text order and so are the "@"s, so one forward pointer answers "inside a URL?".
  const inUrl = (index: number): boolean => {
    while (next < urls.length && (urls[next]?.end ?? 0) <= index) next++;
    const url = urls[next];
    return url !== undefined && url.start <= index;
  };
  let at = text.indexOf("@");
  let floor = 0;
  while (at !== -1) {
    let start = at;
    while (start > floor && LOCAL_CHAR.test(text.charAt(start - 1))) start--;
    while (start < at && text.charAt(start) === ".") start++;
    let end = at + 1;
    while (end < text.length && DOMAIN_CHAR.test(text.charAt(end))) end++;
    while (end > at + 1 && /[.-]/.test(text.charAt(end - 1))) end--;
    const domain = text.slice(at + 1, end);
    if (start < at && /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(domain) && !inUrl(at)) {
      const address = text.slice(start, end);
      links.push({ start, end, href: `mailto:${address}` });
      floor = end;
    } else {
      floor = at + 1;
    }
    at = text.indexOf("@", Math.max(at + 1, floor));
  }
  return links;
}

function linkify(text: string): string {
  const urls = findUrls(text);
  const links = [...urls, ...findEmails(text, urls)].sort((a, b) => a.start - b.start);
  let out = "";
  let pos = 0;
  for (const link of links) {
    if (link.start < pos) continue;
    out += escapeHtml(text.slice(pos, link.start));
    out += `<a href="${escapeHtml(link.href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text.slice(link.start, link.end))}</a>`;
    pos = link.end;
  }
  return out + escapeHtml(text.slice(pos));
}

/** Quote depth of a line and the text after its markers: ">", ">>", "> >" (RFC 3676 §4.5 style). */
function quoteOf(line: string): { depth: number; text: string } {
  let depth = 0;
  let pos = 0;
  while (line.charAt(pos) === ">") {
    depth++;
    pos++;
    if (line.charAt(pos) === " " && line.charAt(pos + 1) === ">") pos++;
  }
  if (depth > 0 && line.charAt(pos) === " ") pos++;
  return { depth: Math.min(depth, MAX_QUOTE_DEPTH), text: line.slice(pos) };
}

/**
 * A plain-text body as HTML for the reader: escaped, links and addresses clickable, ">" quotes as
 * nested blockquotes, spacing kept by white-space: pre-wrap. The result still goes through
 * sanitizeMailHtml, so it only uses markup the sanitizer keeps.
 */
export function textToHtml(text: string): string {
  const lines = (typeof text === "string" ? text : "").replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
  let out = "";
  let depth = 0;
  lines.forEach((line, index) => {
    const quote = quoteOf(line);
    // Entering or leaving a blockquote already breaks the line; a "\n" there would add a blank one.
    if (quote.depth > depth) out += '<blockquote type="cite">'.repeat(quote.depth - depth);
    else if (quote.depth < depth) out += "</blockquote>".repeat(depth - quote.depth);
    else if (index > 0) out += "\n";
    out += linkify(quote.text);
    depth = quote.depth;
  });
  out += "</blockquote>".repeat(depth);
  return `<div class="lb-plain" style="white-space:pre-wrap">${out}</div>`;
}
