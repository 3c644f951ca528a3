// The search box's language, Gmail-like: plain words and "quoted phrases" search sender,
// recipients, subject and body; operators refine. Pure (no protocol here): lib/mail/imap/
// search-keys.ts turns the result into IMAP SEARCH keys, quoted by imapflow's compiler.

export type SearchField = "text" | "from" | "to" | "cc" | "subject";

export type SearchCriterion =
  | { kind: "field"; field: SearchField; value: string }
  | { kind: "hasAttachment" }
  | { kind: "state"; state: "unread" | "read" | "flagged" }
  | { kind: "date"; relation: "before" | "after"; date: string }
  | { kind: "size"; relation: "larger" | "smaller"; bytes: number };

export interface SearchTerm {
  negated: boolean;
  criterion: SearchCriterion;
}

/** Where the search runs: the folder it was started from unless the query says `in:`. */
export type SearchScope = { kind: "current" } | { kind: "folder"; name: string } | { kind: "anywhere" };

export interface ParsedQuery {
  terms: SearchTerm[];
  scope: SearchScope;
}

/** A query the user can correct: the message names the term and what is wrong with it. */
export class SearchQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SearchQueryError";
  }
}

export const MAX_QUERY_LENGTH = 500;
export const MAX_TERMS = 20;

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };
// IMAP's LARGER/SMALLER take a number (RFC 9051 §6.4.4); 2^32 - 1 is what every server parses.
const MAX_SIZE = 2 ** 32 - 1;

interface Token {
  negated: boolean;
  /** The operator's name, lower-cased, when the token is `name:value`. */
  operator: string | null;
  value: string;
  quoted: boolean;
}

const OPERATORS = new Set(["from", "to", "cc", "subject", "has", "is", "before", "after", "larger", "smaller", "in"]);

/**
 * Splits the query into terms. Whitespace (including CR, LF and other control characters, which
 * have no place in a search) separates terms; "double quotes" make a phrase, inside which \" and
 * \\ stand for themselves. An operator's value may be quoted too: subject:"weekly report".
 */
function tokenize(query: string): Token[] {
  // Control characters (NUL, CR, LF, tabs…) become spaces: they can be neither typed meaningfully
  // nor carried in an IMAP quoted string.
  const text = query.replace(/[\u0000-\u001f\u007f]/g, " ");
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (): string => {
    // At the opening quote; an unterminated phrase runs to the end of the query.
    let out = "";
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) i++;
      out += text[i];
      i++;
    }
    i++;
    return out;
  };
  while (i < text.length) {
    if (text[i] === " ") {
      i++;
      continue;
    }
    let negated = false;
    if (text[i] === "-" && i + 1 < text.length && text[i + 1] !== " ") {
      negated = true;
      i++;
    }
    if (text[i] === '"') {
      tokens.push({ negated, operator: null, value: readQuoted(), quoted: true });
      continue;
    }
    let word = "";
    while (i < text.length && text[i] !== " " && text[i] !== '"') word += text[i++];
    const colon = word.indexOf(":");
    const name = colon > 0 ? word.slice(0, colon).toLowerCase() : null;
    if (name && OPERATORS.has(name)) {
      let value = word.slice(colon + 1);
      let quoted = false;
      if (value === "" && text[i] === '"') {
        value = readQuoted();
        quoted = true;
      }
      tokens.push({ negated, operator: name, value, quoted });
    } else {
      // Not an operator of ours (a URL, "re:", a time like 10:30): plain text. A word followed
      // directly by a quote ends there; the phrase is its own term.
      tokens.push({ negated, operator: null, value: word, quoted: false });
    }
  }
  return tokens;
}

function parseDate(operator: string, value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.toISOString().slice(0, 10) !== value || Number(match[1]) < 1970) {
    throw new SearchQueryError(`“${operator}:${value}” is not a date: write it as YYYY-MM-DD, e.g. ${operator}:2024-03-31.`);
  }
  return value;
}

function parseSize(operator: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new SearchQueryError(`“${operator}:${value}” is not a size: write a number with k, M or G, e.g. ${operator}:5M or ${operator}:200k.`);
  }
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes > MAX_SIZE) throw new SearchQueryError(`“${operator}:${value}” is too large: the most is 4G.`);
  return bytes;
}

function criterionOf(token: Token): SearchCriterion | SearchScope {
  const { operator, value } = token;
  if (operator === null) return { kind: "field", field: "text", value };
  if (value === "") throw new SearchQueryError(`“${operator}:” needs a value, e.g. ${EXAMPLES[operator] ?? `${operator}:something`}.`);
  switch (operator) {
    case "from":
    case "to":
    case "cc":
    case "subject":
      return { kind: "field", field: operator, value };
    case "has":
      if (value.toLowerCase() === "attachment" || value.toLowerCase() === "attachments") return { kind: "hasAttachment" };
      throw new SearchQueryError(`“has:${value}” is not known: use has:attachment.`);
    case "is": {
      const state = value.toLowerCase();
      if (state === "unread" || state === "read" || state === "flagged") return { kind: "state", state };
      if (state === "starred") return { kind: "state", state: "flagged" };
      throw new SearchQueryError(`“is:${value}” is not known: use is:unread, is:read or is:flagged.`);
    }
    case "before":
    case "after":
      return { kind: "date", relation: operator, date: parseDate(operator, value) };
    case "larger":
    case "smaller":
      return { kind: "size", relation: operator, bytes: parseSize(operator, value) };
    case "in":
      return value.toLowerCase() === "anywhere" ? { kind: "anywhere" } : { kind: "folder", name: value };
  }
  throw new SearchQueryError(`“${operator}:” is not a search operator.`);
}

const EXAMPLES: Record<string, string> = {
  from: "from:alice@example.com",
  to: "to:bob",
  cc: "cc:carol",
  subject: 'subject:"weekly report"',
  has: "has:attachment",
  is: "is:unread",
  before: "before:2024-03-31",
  after: "after:2024-01-01",
  larger: "larger:5M",
  smaller: "smaller:200k",
  in: "in:Archive or in:anywhere",
};

/**
 * Parses what the user typed. Throws SearchQueryError, with a message fit to show beside the box,
 * for an operator value that cannot mean anything (before:yesterday, larger:big, is:spam), an
 * empty query, or one too long to be a search.
 */
export function parseSearchQuery(query: string): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH) throw new SearchQueryError(`The search is too long: keep it under ${MAX_QUERY_LENGTH} characters.`);
  const terms: SearchTerm[] = [];
  let scope: SearchScope = { kind: "current" };
  for (const token of tokenize(query)) {
    if (token.operator === null && token.value === "") continue;
    const parsed = criterionOf(token);
    if (parsed.kind === "current" || parsed.kind === "folder" || parsed.kind === "anywhere") {
      if (token.negated) throw new SearchQueryError(`“-in:” cannot be negated: say which folder to search, or in:anywhere.`);
      if (scope.kind !== "current") throw new SearchQueryError("Use in: once: search one folder, or every folder with in:anywhere.");
      scope = parsed;
      continue;
    }
    terms.push({ negated: token.negated, criterion: parsed });
  }
  if (terms.length === 0 && scope.kind === "current") throw new SearchQueryError("Type something to search for.");
  if (terms.length > MAX_TERMS) throw new SearchQueryError(`The search has too many terms: use at most ${MAX_TERMS}.`);
  return { terms, scope };
}

/** Whether a search reads message bodies (plain words): slow on a server without a full-text index. */
export function searchesBodies(query: ParsedQuery): boolean {
  return query.terms.some((t) => t.criterion.kind === "field" && t.criterion.field === "text");
}
