import "server-only";
import libmime from "libmime";
import { cleanFilename } from "./attachment-filename";

// RFC 2045 §5.1 wants a parameter value with spaces quoted; old mailers wrote
// `filename=Yinxiang Motorcycles.doc` anyway, and every desktop client reads the whole rest of the
// parameter. An IMAP server's BODYSTRUCTURE parses strictly and keeps only "Yinxiang". The part's
// own MIME header (`BODY.PEEK[n.MIME]`, RFC 3501 §6.4.5) still has what the sender wrote.

/** The header's fields, unfolded (RFC 5322 §2.2.3), by lower-case name; the first of each wins. */
function fields(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const field of header.replace(/\r?\n(?=[ \t])/g, "").split(/\r?\n/)) {
    const colon = field.indexOf(":");
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    if (!out.has(name)) out.set(name, field.slice(colon + 1));
  }
  return out;
}

/** A parameter read leniently: quoted as usual, else everything up to the next ";" (spaces kept). */
function lenientParameter(value: string, name: string): string | null {
  const match = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*("(?:[^"\\\\]|\\\\.)*"|[^;]*)`, "i").exec(value);
  if (!match) return null;
  const raw = match[1]!.trim();
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
}

/** The filename a part's MIME header gives, read the way mail clients read it: Content-Disposition's
 * filename (RFC 2231 continuations and charsets included), else Content-Type's name. */
export function filenameFromMimeHeader(header: string): string | null {
  const f = fields(header);
  for (const [field, parameter] of [
    ["content-disposition", "filename"],
    ["content-type", "name"],
  ] as const) {
    const value = f.get(field);
    if (value === undefined) continue;
    let strict: string | undefined;
    try {
      strict = (libmime.parseHeaderValue(value) as { params: Record<string, string> }).params[parameter];
    } catch {
      strict = undefined;
    }
    const lenient = lenientParameter(value, parameter);
    // An RFC 2231 or quoted name is already whole; an unquoted one may run past the first space.
    const best = lenient && (!strict || (lenient.length > strict.length && lenient.startsWith(strict))) ? lenient : strict;
    if (best) return best;
  }
  return null;
}

/**
 * The name to show for an attachment whose structure gave `shown` (already cleaned), given the
 * name its own MIME header gives: the longer one only when the structure's is a cut-off prefix of
 * it, so a server's parse is never second-guessed otherwise.
 */
export function repairCutFilename(shown: string, fromHeader: string | null): string {
  if (!fromHeader) return shown;
  const whole = cleanFilename(fromHeader);
  return whole.length > shown.length && whole.startsWith(shown) ? whole : shown;
}

/** True when a name could have been cut at a space by a strict parser: it has no extension. */
export function mayBeCutFilename(name: string): boolean {
  return name !== "" && !/\.[^.\s]{1,10}$/.test(name);
}
