import "server-only";
import { tokenize, TokenType, type CSSToken } from "@csstools/css-tokenizer";

// CSS tokens for the style filter, and a serializer that writes them back safely inside <style>.
// The filter works on tokens, not on text, because browsers decode escapes and comments before
// they recognise anything: "u\72l(", "\75 rl(" and "@\69mport" are url( and @import to a
// browser, and no regular expression over the source text sees them all. The tokenizing is
// @csstools/css-tokenizer's (CSS Syntax Level 3, https://www.w3.org/TR/css-syntax-3/ §4), the same
// algorithm browsers run; this file keeps only the mapping to the filter's token shape and the
// serializer (§9), which escapes more than CSSOM does because its output lives in HTML.

export type CssToken =
  | { type: "ident"; value: string }
  | { type: "function"; value: string }
  | { type: "at-keyword"; value: string }
  | { type: "hash"; value: string }
  | { type: "string"; value: string }
  | { type: "bad-string" }
  | { type: "url"; value: string }
  | { type: "bad-url" }
  | { type: "delim"; value: string }
  | { type: "number"; repr: string }
  | { type: "percentage"; repr: string }
  | { type: "dimension"; repr: string; unit: string }
  | { type: "whitespace" }
  | { type: "CDO" }
  | { type: "CDC" }
  | { type: ":" | ";" | "," | "[" | "]" | "(" | ")" | "{" | "}" };

const REPLACEMENT = 0xfffd;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNameChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0x80 || c === 0x5f || isDigit(c) || c === 0x2d;
}

// The number as written ("+.5", "1e3"): a number's source text holds no escapes (§4.3.12), so the
// token's raw text is safe to write back as it is; a dimension's unit follows it.
const NUMBER_PREFIX = /^[+-]?(?:\d*\.\d+|\d+)(?:[eE][+-]?\d+)?/;

function toFilterToken(token: CSSToken): CssToken | null {
  switch (token[0]) {
    case TokenType.Ident:
      return { type: "ident", value: token[4].value };
    case TokenType.Function:
      return { type: "function", value: token[4].value };
    case TokenType.AtKeyword:
      return { type: "at-keyword", value: token[4].value };
    case TokenType.Hash:
      return { type: "hash", value: token[4].value };
    case TokenType.String:
      return { type: "string", value: token[4].value };
    case TokenType.BadString:
      return { type: "bad-string" };
    case TokenType.URL:
      return { type: "url", value: token[4].value };
    case TokenType.BadURL:
      return { type: "bad-url" };
    case TokenType.Delim:
      return { type: "delim", value: token[4].value };
    case TokenType.Number:
      return { type: "number", repr: NUMBER_PREFIX.exec(token[1])?.[0] ?? "0" };
    case TokenType.Percentage:
      return { type: "percentage", repr: NUMBER_PREFIX.exec(token[1])?.[0] ?? "0" };
    case TokenType.Dimension:
      return { type: "dimension", repr: NUMBER_PREFIX.exec(token[1])?.[0] ?? "0", unit: token[4].unit };
    case TokenType.Whitespace:
      return { type: "whitespace" };
    case TokenType.CDO:
      return { type: "CDO" };
    case TokenType.CDC:
      return { type: "CDC" };
    case TokenType.Colon:
      return { type: ":" };
    case TokenType.Semicolon:
      return { type: ";" };
    case TokenType.Comma:
      return { type: "," };
    case TokenType.OpenSquare:
      return { type: "[" };
    case TokenType.CloseSquare:
      return { type: "]" };
    case TokenType.OpenParen:
      return { type: "(" };
    case TokenType.CloseParen:
      return { type: ")" };
    case TokenType.OpenCurly:
      return { type: "{" };
    case TokenType.CloseCurly:
      return { type: "}" };
    default:
      // Comments are not tokens to a browser (§4.3.2); EOF ends the list; unicode-range tokens are
      // not produced (unicodeRangesAllowed is off).
      return null;
  }
}

export function tokenizeCss(css: string): CssToken[] {
  const out: CssToken[] = [];
  // §3.3, as browsers do it before tokenizing: NUL and lone surrogates become U+FFFD. Without it the
  // library calls "url(a\0)" a bad url where a browser reads url("a\uFFFD").
  const preprocessed = css.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  for (const token of tokenize({ css: preprocessed })) {
    const mapped = toFilterToken(token);
    if (mapped) out.push(mapped);
  }
  return out;
}

function hexEscape(c: number): string {
  return `\\${c.toString(16)} `;
}

// Every character outside [A-Za-z0-9_-] and non-ASCII is written as a hex escape, never as
// "\<char>": the output goes into <style> elements, where a literal "<" could start "</style".
function escapeNameChar(c: number): string {
  if (c === 0) return String.fromCodePoint(REPLACEMENT);
  return isNameChar(c) ? String.fromCodePoint(c) : hexEscape(c);
}

/** CSSOM "serialize an identifier", with hex escapes only. */
function serializeIdent(value: string): string {
  const points = Array.from(value, (ch) => ch.codePointAt(0) ?? REPLACEMENT);
  if (points.length === 1 && points[0] === 0x2d) return "\\-";
  return points
    .map((c, index) => {
      if (index === 0 && isDigit(c)) return hexEscape(c);
      if (index === 1 && isDigit(c) && points[0] === 0x2d) return hexEscape(c);
      return escapeNameChar(c);
    })
    .join("");
}

function serializeName(value: string): string {
  return Array.from(value, (ch) => escapeNameChar(ch.codePointAt(0) ?? REPLACEMENT)).join("");
}

function serializeUnit(unit: string): string {
  const first = unit.codePointAt(0);
  // A unit like "e3" after "1" would read back as the exponent of 1e3: escape its "e".
  if ((first === 0x45 || first === 0x65) && /^[eE][+-]?[0-9]/.test(unit)) {
    return hexEscape(first) + serializeName(unit.slice(1));
  }
  return serializeIdent(unit);
}

export function serializeCssString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? REPLACEMENT;
    if (c === 0x22 || c === 0x5c) out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f || c === 0x3c || c === 0x3e) out += hexEscape(c);
    else out += ch;
  }
  return `${out}"`;
}

/** An unquoted url(), so it reads back as the same url token rather than url( + string. */
function serializeUrl(value: string): string {
  let out = "url(";
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? REPLACEMENT;
    out += c <= 0x20 || c === 0x7f || "\"'()\\<>".includes(ch) ? hexEscape(c) : ch;
  }
  return `${out})`;
}

function serializeToken(token: CssToken): string {
  switch (token.type) {
    case "ident":
      return serializeIdent(token.value);
    case "function":
      return `${serializeIdent(token.value)}(`;
    case "at-keyword":
      return `@${serializeIdent(token.value)}`;
    case "hash":
      return `#${serializeName(token.value)}`;
    case "string":
      return serializeCssString(token.value);
    case "url":
      return serializeUrl(token.value);
    case "number":
      return token.repr;
    case "percentage":
      return `${token.repr}%`;
    case "dimension":
      return token.repr + serializeUnit(token.unit);
    case "whitespace":
      return " ";
    case "delim":
      // "<" only ever began "<!--" or "</style"; a lone "\" would escape whatever follows it.
      return token.value === "<" || token.value === "\\" ? "" : token.value;
    case "bad-string":
    case "bad-url":
    case "CDO":
    case "CDC":
      // Parse errors and HTML-comment markers: nothing a browser would use, so nothing is written.
      return "";
    default:
      return token.type;
  }
}

type Kind =
  "ident" | "function" | "url" | "-" | "number" | "percentage" | "dimension" | "CDC" | "(" | "other";

function kindOf(token: CssToken): Kind {
  switch (token.type) {
    case "ident":
    case "function":
    case "url":
    case "number":
    case "percentage":
    case "dimension":
    case "CDC":
    case "(":
      return token.type;
    case "bad-url":
      return "url";
    case "delim":
      return token.value === "-" ? "-" : "other";
    default:
      return "other";
  }
}

/** §9: pairs of tokens that would run together into a different token when written side by side. */
function needsComment(previous: CssToken, next: CssToken): boolean {
  const b = kindOf(next);
  const identish: Kind[] = ["ident", "function", "url", "-", "number", "percentage", "dimension", "CDC"];
  if (previous.type === "ident") return identish.includes(b) || b === "(";
  if (previous.type === "at-keyword" || previous.type === "hash" || previous.type === "dimension") {
    return identish.includes(b);
  }
  if (previous.type === "delim") {
    const v = previous.value;
    if (v === "#" || v === "-")
      return ["ident", "function", "url", "-", "number", "percentage", "dimension"].includes(b);
    if (v === "@") return ["ident", "function", "url", "-", "CDC"].includes(b);
    if (v === "." || v === "+") return ["number", "percentage", "dimension"].includes(b);
    if (v === "/") return next.type === "delim" && next.value === "*";
  }
  if (previous.type === "number") {
    return (
      ["ident", "function", "url", "number", "percentage", "dimension"].includes(b) ||
      (next.type === "delim" && next.value === "%")
    );
  }
  return false;
}

/** Writes tokens back as CSS that tokenizes to the same tokens (minus the ones dropped above). */
export function serializeCss(tokens: readonly CssToken[]): string {
  let out = "";
  let previous: CssToken | null = null;
  for (const token of tokens) {
    const text = serializeToken(token);
    if (text === "") continue;
    if (previous && needsComment(previous, token)) out += "/**/";
    out += text;
    previous = token;
  }
  return out;
}
