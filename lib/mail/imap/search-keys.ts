import "server-only";
import type { SearchCriterion, SearchTerm } from "@/lib/mail/search/parse-query";
import { atom, type RawAttribute } from "./raw-command";

/**
 * IMAP SEARCH keys (RFC 9051 §6.4.4) for parsed search terms. Every value the user typed goes out
 * as a string token that imapflow's compiler writes as a quoted string (DQUOTE and backslash
 * escaped), or — when it holds non-ASCII text — as a literal of its UTF-8 bytes, announced with
 * CHARSET UTF-8 (RFC 9051 §6.4.4; RFC 3501 servers must support it). Only our own atoms and
 * numbers are written bare. The parser already turned CR, LF and NUL into spaces, which neither a
 * quoted string nor a plain literal could carry. (Negation and has:attachment: see searchPlan.)
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

function keysOf(criterion: Exclude<SearchCriterion, { kind: "hasAttachment" }>): RawAttribute[] {
  switch (criterion.kind) {
    case "field":
      // TEXT matches the header and the body, so plain words find sender, recipients, subject and
      // body in one key (and, on Dovecot with fts, through the full-text index).
      return [atom(criterion.field.toUpperCase()), stringToken(criterion.value)];
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

/**
 * What the server is asked, in three parts:
 * - `match`: the terms that must hold, ANDed as IMAP does (ALL when there are none);
 * - `exclude`: one key list per negated term. They are searched on their own and their results
 *   taken away here, rather than sent as NOT: Dovecot's full-text backends answer NOT over an
 *   indexed key wrongly (fts-xapian 1.5, Debian 12's, returns the same as without NOT), and a set
 *   difference is right on every server;
 * - `attachment`: has:attachment (true) or -has:attachment (false). IMAP has no key for it, and the
 *   usual heuristic (HEADER Content-Type multipart/mixed) finds nothing on fts-xapian, which does
 *   not index that header. So the candidates' BODYSTRUCTURE decides, the same rule as the list's
 *   paperclip (an attachment part that is not inline) — exact, and never a body download.
 */
export interface SearchPlan {
  match: RawAttribute[];
  exclude: RawAttribute[][];
  attachment: boolean | null;
}

export function searchPlan(terms: readonly SearchTerm[]): SearchPlan {
  const match: RawAttribute[] = [];
  const exclude: RawAttribute[][] = [];
  let attachment: boolean | null = null;
  for (const { negated, criterion } of terms) {
    if (criterion.kind === "hasAttachment") {
      // has:attachment -has:attachment together can match nothing: exclude everything.
      if (attachment !== null && attachment === negated) exclude.push([atom("ALL")]);
      attachment = !negated;
      continue;
    }
    if (negated) exclude.push(keysOf(criterion));
    else match.push(...keysOf(criterion));
  }
  return { match: match.length ? match : [atom("ALL")], exclude, attachment };
}

/** Whether any key is sent as a literal of UTF-8 bytes, so the command needs CHARSET UTF-8. */
export function needsUtf8(keys: readonly RawAttribute[]): boolean {
  return keys.some((k) => (Array.isArray(k) ? needsUtf8(k) : k?.type === "LITERAL"));
}
