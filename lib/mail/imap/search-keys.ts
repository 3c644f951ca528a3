import "server-only";
import type { SearchCriterion, SearchTerm } from "@/lib/mail/search/parse-query";
import { atom, type RawAttribute } from "./raw-command";

/**
 * IMAP SEARCH keys (RFC 9051 §6.4.4) for parsed search terms. Every value the user typed goes out
 * as a string token that imapflow's compiler writes as a quoted string (DQUOTE and backslash
 * escaped), or — when it holds non-ASCII text — as a literal of its UTF-8 bytes, announced with
 * CHARSET UTF-8 (RFC 9051 §6.4.4; RFC 3501 servers must support it). Only our own atoms and
 * numbers are written bare. The parser already turned CR, LF and NUL into spaces, which neither a
 * quoted string nor a plain literal could carry.
 */

const ASCII_PRINTABLE = /^[\u0020-\u007e]*$/;

function stringToken(value: string): RawAttribute {
  return ASCII_PRINTABLE.test(value) ? { type: "STRING", value } : { type: "LITERAL", value: Buffer.from(value, "utf8") };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** RFC 9051 date: 1-Feb-2024 (the parser has checked YYYY-MM-DD is a real day). */
export function imapDate(isoDay: string): string {
  const [y, m, d] = isoDay.split("-").map(Number);
  return `${d}-${MONTHS[m! - 1]}-${y}`;
}

function keysOf(criterion: SearchCriterion): RawAttribute[] {
  switch (criterion.kind) {
    case "field":
      // TEXT matches the header and the body, so plain words find sender, recipients, subject and
      // body in one key (and, on Dovecot with fts, through the full-text index).
      return [atom(criterion.field.toUpperCase()), stringToken(criterion.value)];
    case "hasAttachment":
      // IMAP has no "has attachment" key. The heuristic every client uses: the top-level
      // Content-Type is multipart/mixed (what mailers send when files are attached). It misses
      // attachments inside multipart/related-only messages and counts mixed messages with only
      // inline text parts; the list's paperclip (from BODYSTRUCTURE) is the exact answer per row.
      return [atom("HEADER"), { type: "STRING", value: "Content-Type" }, { type: "STRING", value: "multipart/mixed" }];
    case "state":
      return [atom(criterion.state === "unread" ? "UNSEEN" : criterion.state === "read" ? "SEEN" : "FLAGGED")];
    case "date":
      // The Date header (SENT*), the date the list shows and sorts by (SORT DATE, RFC 5256).
      // after:D includes D (SENTSINCE D); before:D excludes it (SENTBEFORE D), as in Gmail.
      return [atom(criterion.relation === "after" ? "SENTSINCE" : "SENTBEFORE"), atom(imapDate(criterion.date))];
    case "size":
      return [atom(criterion.relation === "larger" ? "LARGER" : "SMALLER"), { type: "NUMBER", value: criterion.bytes }];
  }
}

/** The search keys for all terms (ANDed, as IMAP does), `NOT`-prefixed where negated; ALL when none. */
export function searchKeys(terms: readonly SearchTerm[]): RawAttribute[] {
  const out: RawAttribute[] = [];
  for (const term of terms) {
    const keys = keysOf(term.criterion);
    // NOT takes one search key; a key with its arguments counts as one.
    if (term.negated) out.push(atom("NOT"));
    out.push(...keys);
  }
  return out.length ? out : [atom("ALL")];
}

/** Whether any key is sent as a literal of UTF-8 bytes, so the command needs CHARSET UTF-8. */
export function needsUtf8(keys: readonly RawAttribute[]): boolean {
  return keys.some((k) => (Array.isArray(k) ? needsUtf8(k) : k?.type === "LITERAL"));
}
