import "server-only";
import { type CssToken, serializeCss, tokenizeCss } from "./css-tokens";

/**
 * Decides what a URL found in CSS becomes: the URL to write, or null to remove the reference.
 * `inFontFace` is true inside an @font-face rule, where a URL names a font to download.
 */
export type CssUrlResolver = (url: string, inFontFace: boolean) => string | null;

// Properties that bind behaviour or load code in some engine (IE's behavior/-ms-filter, old
// Firefox's XBL -moz-binding, Opera's -o-link): nothing a message needs to look right.
const BLOCKED_PROPERTIES = new Set([
  "behavior",
  "-ms-behavior",
  "-moz-binding",
  "binding",
  "-ms-filter",
  "-o-link",
  "-o-link-source",
]);

// Functions that are themselves a URL reference.
const URL_FUNCTIONS = new Set(["url", "src"]);

// Functions whose bare string arguments are URLs (CSS Images 4 §2.2 image-set(), §3 image()).
const URL_STRING_FUNCTIONS = new Set(["image-set", "-webkit-image-set", "image", "-webkit-image"]);

// Removed with their arguments: IE's expression() ran script, and attr() could carry a value out
// of the markup into a property where it might name a resource.
const REMOVED_FUNCTIONS = new Set(["expression", "attr"]);

// Substituted at computed-value time: inside image-set() a var() whose custom property holds a bare
// string ("--a:'https://tracker/p.png'") becomes a URL this filter never saw as one (the class of
// Roundcube's CVE-2026-48846). Removed there; elsewhere a string stays a string.
const SUBSTITUTION_FUNCTIONS = new Set(["var", "env"]);

type Closer = ")" | "]" | "}";

function closerOf(token: CssToken): Closer | null {
  if (token.type === "function" || token.type === "(") return ")";
  if (token.type === "[") return "]";
  if (token.type === "{") return "}";
  return null;
}

/**
 * Index of the token that closes the block opened at `start`, following §5.4.8: inside a block only
 * its own closer ends it, so "(" ... "}" ... ")" is one block. tokens.length when never closed.
 */
function blockEnd(tokens: readonly CssToken[], start: number): number {
  const open: Closer[] = [];
  for (let j = start; j < tokens.length; j++) {
    const token = tokens[j];
    if (!token) break;
    const closer = closerOf(token);
    if (closer) {
      open.push(closer);
    } else if (token.type === open[open.length - 1]) {
      open.pop();
      if (open.length === 0) return j;
    }
  }
  return tokens.length;
}

/**
 * Where the statement starting at `start` ends: after its ";", after its {} block when
 * `stopAtBlock`, or just before the closer of the block it sits in.
 */
function statementEnd(
  tokens: readonly CssToken[],
  start: number,
  enclosing: Closer | undefined,
  stopAtBlock: boolean,
): number {
  for (let j = start; j < tokens.length; j++) {
    const token = tokens[j];
    if (!token) break;
    if (token.type === ";") return j + 1;
    if (enclosing !== undefined && token.type === enclosing) return j;
    if (closerOf(token)) {
      const end = blockEnd(tokens, j);
      if (stopAtBlock && token.type === "{") return end + 1;
      j = end;
    }
  }
  return tokens.length;
}

function nextSignificant(tokens: readonly CssToken[], from: number): CssToken | undefined {
  for (let j = from; j < tokens.length; j++) {
    const token = tokens[j];
    if (token && token.type !== "whitespace") return token;
  }
  return undefined;
}

/**
 * Filters a style sheet or a style attribute's declarations: @import removed, every URL passed
 * through `resolveUrl` (a refused one becomes `none`, which every image property accepts), script
 * and binding hooks removed. The result is re-serialized from tokens, so escapes and comments
 * cannot smuggle anything past the filter, and it never contains "<".
 */
export function filterCss(css: string, resolveUrl: CssUrlResolver): string {
  const tokens = tokenizeCss(css);
  const out: CssToken[] = [];
  const frames: { closer: Closer; urlStrings: boolean; fontFace?: boolean }[] = [];
  // An @font-face prelude was read and its {} block has not opened yet.
  let fontFacePrelude = false;
  const urlToken = (raw: string): CssToken => {
    const resolved = resolveUrl(raw, frames.some((frame) => frame.fontFace));
    return resolved === null ? { type: "ident", value: "none" } : { type: "url", value: resolved };
  };

  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (!token) break;
    const top = frames[frames.length - 1];

    // @import is removed wherever it appears, not only where it would be valid: its URL loads a
    // whole style sheet, and allowing remote content is no reason to let a message pull one in.
    if (token.type === "at-keyword" && token.value.toLowerCase() === "import") {
      i = statementEnd(tokens, i + 1, top?.closer, true);
      continue;
    }
    if (
      token.type === "ident" &&
      BLOCKED_PROPERTIES.has(token.value.toLowerCase()) &&
      nextSignificant(tokens, i + 1)?.type === ":"
    ) {
      i = statementEnd(tokens, i + 1, top?.closer, false);
      continue;
    }
    if (token.type === "url") {
      out.push(urlToken(token.value));
      i++;
      continue;
    }
    if (token.type === "function") {
      const name = token.value.toLowerCase();
      if (URL_FUNCTIONS.has(name)) {
        const end = blockEnd(tokens, i);
        const argument = tokens.slice(i + 1, end).find((t) => t.type === "string");
        out.push(urlToken(argument?.type === "string" ? argument.value : ""));
        i = end + 1;
        continue;
      }
      const insideUrlStrings = frames.some((frame) => frame.urlStrings);
      if (REMOVED_FUNCTIONS.has(name) || (insideUrlStrings && SUBSTITUTION_FUNCTIONS.has(name))) {
        i = blockEnd(tokens, i) + 1;
        continue;
      }
      frames.push({ closer: ")", urlStrings: URL_STRING_FUNCTIONS.has(name) });
      out.push(token);
      i++;
      continue;
    }
    if (token.type === "string" && top?.urlStrings) {
      out.push(urlToken(token.value));
      i++;
      continue;
    }
    if (token.type === "at-keyword") fontFacePrelude = token.value.toLowerCase() === "font-face";
    else if (token.type === ";") fontFacePrelude = false;
    const closer = closerOf(token);
    if (closer) {
      frames.push({ closer, urlStrings: false, fontFace: token.type === "{" && fontFacePrelude });
      if (token.type === "{") fontFacePrelude = false;
    } else if (top && token.type === top.closer) frames.pop();
    out.push(token);
    i++;
  }
  return serializeCss(out).trim();
}
