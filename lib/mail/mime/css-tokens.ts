import "server-only";

// A tokenizer and serializer for CSS Syntax Level 3 (https://www.w3.org/TR/css-syntax-3/ §4, §9).
// The style filter works on tokens, not on text, because browsers decode escapes and comments
// before they recognise anything: "u\72l(", "\75 rl(" and "@\69mport" are url( and @import to a
// browser, and no regular expression over the source text sees them all.

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

const EOF = -1;
const LF = 0x0a;
const REPLACEMENT = 0xfffd;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isNameStart(c: number): boolean {
  return isLetter(c) || c >= 0x80 || c === 0x5f;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c) || c === 0x2d;
}

function isWhitespace(c: number): boolean {
  return c === LF || c === 0x09 || c === 0x20;
}

function isNonPrintable(c: number): boolean {
  return (c >= 0 && c <= 0x08) || c === 0x0b || (c >= 0x0e && c <= 0x1f) || c === 0x7f;
}

function isValidEscape(a: number, b: number): boolean {
  return a === 0x5c && b !== LF;
}

function startsIdent(a: number, b: number, c: number): boolean {
  if (a === 0x2d) return isNameStart(b) || b === 0x2d || isValidEscape(b, c);
  if (isNameStart(a)) return true;
  return a === 0x5c && isValidEscape(a, b);
}

function startsNumber(a: number, b: number, c: number): boolean {
  if (a === 0x2b || a === 0x2d) return isDigit(b) || (b === 0x2e && isDigit(c));
  if (a === 0x2e) return isDigit(b);
  return isDigit(a);
}

/** §3.3: newlines normalized, NUL and surrogates replaced. */
function preprocess(css: string): number[] {
  const points: number[] = [];
  const text = css.replace(/\r\n?|\f/g, "\n");
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? REPLACEMENT;
    points.push(c === 0 || (c >= 0xd800 && c <= 0xdfff) ? REPLACEMENT : c);
  }
  return points;
}

export function tokenizeCss(css: string): CssToken[] {
  const input = preprocess(css);
  const tokens: CssToken[] = [];
  let pos = 0;

  const peek = (offset = 0): number => input[pos + offset] ?? EOF;

  const consumeEscape = (): number => {
    // The backslash is already consumed.
    const c = peek();
    if (c === EOF) return REPLACEMENT;
    pos++;
    if (!isHexDigit(c)) return c;
    let hex = String.fromCodePoint(c);
    while (hex.length < 6 && isHexDigit(peek())) hex += String.fromCodePoint(input[pos++] ?? 0x30);
    if (isWhitespace(peek())) pos++;
    const value = Number.parseInt(hex, 16);
    return value === 0 || (value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff ? REPLACEMENT : value;
  };

  const consumeName = (): string => {
    let name = "";
    for (;;) {
      const c = peek();
      if (isNameChar(c)) {
        name += String.fromCodePoint(c);
        pos++;
      } else if (isValidEscape(c, peek(1))) {
        pos++;
        name += String.fromCodePoint(consumeEscape());
      } else {
        return name;
      }
    }
  };

  const consumeNumber = (): string => {
    let repr = "";
    const take = () => {
      repr += String.fromCodePoint(input[pos++] ?? 0x30);
    };
    if (peek() === 0x2b || peek() === 0x2d) take();
    while (isDigit(peek())) take();
    if (peek() === 0x2e && isDigit(peek(1))) {
      take();
      while (isDigit(peek())) take();
    }
    const e = peek();
    if (e === 0x45 || e === 0x65) {
      const sign = peek(1) === 0x2b || peek(1) === 0x2d;
      if (isDigit(peek(sign ? 2 : 1))) {
        take();
        if (sign) take();
        while (isDigit(peek())) take();
      }
    }
    return repr;
  };

  const consumeNumeric = (): CssToken => {
    const repr = consumeNumber();
    if (startsIdent(peek(), peek(1), peek(2))) return { type: "dimension", repr, unit: consumeName() };
    if (peek() === 0x25) {
      pos++;
      return { type: "percentage", repr };
    }
    return { type: "number", repr };
  };

  const consumeBadUrlRemnants = (): void => {
    for (;;) {
      const c = peek();
      if (c === EOF) return;
      pos++;
      if (c === 0x29) return;
      if (isValidEscape(c, peek())) consumeEscape();
    }
  };

  const consumeUrl = (): CssToken => {
    let value = "";
    while (isWhitespace(peek())) pos++;
    for (;;) {
      const c = peek();
      if (c === EOF) return { type: "url", value };
      pos++;
      if (c === 0x29) return { type: "url", value };
      if (isWhitespace(c)) {
        while (isWhitespace(peek())) pos++;
        if (peek() === 0x29 || peek() === EOF) {
          if (peek() === 0x29) pos++;
          return { type: "url", value };
        }
        consumeBadUrlRemnants();
        return { type: "bad-url" };
      }
      if (c === 0x22 || c === 0x27 || c === 0x28 || isNonPrintable(c)) {
        consumeBadUrlRemnants();
        return { type: "bad-url" };
      }
      if (c === 0x5c) {
        if (isValidEscape(c, peek())) {
          value += String.fromCodePoint(consumeEscape());
          continue;
        }
        consumeBadUrlRemnants();
        return { type: "bad-url" };
      }
      value += String.fromCodePoint(c);
    }
  };

  const consumeIdentLike = (): CssToken => {
    const name = consumeName();
    if (name.toLowerCase() === "url" && peek() === 0x28) {
      pos++;
      while (isWhitespace(peek()) && isWhitespace(peek(1))) pos++;
      const next = isWhitespace(peek()) ? peek(1) : peek();
      if (next === 0x22 || next === 0x27) return { type: "function", value: name };
      return consumeUrl();
    }
    if (peek() === 0x28) {
      pos++;
      return { type: "function", value: name };
    }
    return { type: "ident", value: name };
  };

  const consumeString = (ending: number): CssToken => {
    let value = "";
    for (;;) {
      const c = peek();
      if (c === EOF) return { type: "string", value };
      pos++;
      if (c === ending) return { type: "string", value };
      if (c === LF) {
        pos--;
        return { type: "bad-string" };
      }
      if (c === 0x5c) {
        if (peek() === EOF) continue;
        if (peek() === LF) {
          pos++;
          continue;
        }
        value += String.fromCodePoint(consumeEscape());
        continue;
      }
      value += String.fromCodePoint(c);
    }
  };

  for (;;) {
    // Comments are not tokens (§4.3.2).
    while (peek() === 0x2f && peek(1) === 0x2a) {
      pos += 2;
      while (peek() !== EOF && !(peek() === 0x2a && peek(1) === 0x2f)) pos++;
      pos = peek() === EOF ? input.length : pos + 2;
    }
    const c = peek();
    if (c === EOF) return tokens;
    if (isWhitespace(c)) {
      while (isWhitespace(peek())) pos++;
      tokens.push({ type: "whitespace" });
      continue;
    }
    if (c === 0x22 || c === 0x27) {
      pos++;
      tokens.push(consumeString(c));
      continue;
    }
    if (c === 0x23) {
      if (isNameChar(peek(1)) || isValidEscape(peek(1), peek(2))) {
        pos++;
        tokens.push({ type: "hash", value: consumeName() });
      } else {
        pos++;
        tokens.push({ type: "delim", value: "#" });
      }
      continue;
    }
    if (c === 0x2b || c === 0x2e) {
      if (startsNumber(c, peek(1), peek(2))) tokens.push(consumeNumeric());
      else {
        pos++;
        tokens.push({ type: "delim", value: String.fromCodePoint(c) });
      }
      continue;
    }
    if (c === 0x2d) {
      if (startsNumber(c, peek(1), peek(2))) tokens.push(consumeNumeric());
      else if (peek(1) === 0x2d && peek(2) === 0x3e) {
        pos += 3;
        tokens.push({ type: "CDC" });
      } else if (startsIdent(c, peek(1), peek(2))) tokens.push(consumeIdentLike());
      else {
        pos++;
        tokens.push({ type: "delim", value: "-" });
      }
      continue;
    }
    if (c === 0x3c && peek(1) === 0x21 && peek(2) === 0x2d && peek(3) === 0x2d) {
      pos += 4;
      tokens.push({ type: "CDO" });
      continue;
    }
    if (c === 0x40) {
      pos++;
      if (startsIdent(peek(), peek(1), peek(2))) tokens.push({ type: "at-keyword", value: consumeName() });
      else tokens.push({ type: "delim", value: "@" });
      continue;
    }
    if (c === 0x5c) {
      if (isValidEscape(c, peek(1))) tokens.push(consumeIdentLike());
      else {
        pos++;
        tokens.push({ type: "delim", value: "\\" });
      }
      continue;
    }
    if (isDigit(c)) {
      tokens.push(consumeNumeric());
      continue;
    }
    if (isNameStart(c)) {
      tokens.push(consumeIdentLike());
      continue;
    }
    pos++;
    switch (c) {
      case 0x28:
        tokens.push({ type: "(" });
        break;
      case 0x29:
        tokens.push({ type: ")" });
        break;
      case 0x2c:
        tokens.push({ type: "," });
        break;
      case 0x3a:
        tokens.push({ type: ":" });
        break;
      case 0x3b:
        tokens.push({ type: ";" });
        break;
      case 0x5b:
        tokens.push({ type: "[" });
        break;
      case 0x5d:
        tokens.push({ type: "]" });
        break;
      case 0x7b:
        tokens.push({ type: "{" });
        break;
      case 0x7d:
        tokens.push({ type: "}" });
        break;
      default:
        tokens.push({ type: "delim", value: String.fromCodePoint(c) });
    }
  }
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
