import "server-only";
import type { ImapFlow } from "imapflow";
import { atom, runRawCommand, sequence, tokenValue, type RawAttribute } from "./raw-command";

/**
 * The first words of each message's text, as the server itself offers them: FETCH PREVIEW
 * (RFC 8970), or the older draft's SNIPPET (FUZZY) that Dovecot also speaks. The server builds and
 * caches them; Letterbox never downloads a body to make a list row. imapflow's fetch() knows
 * neither item, so this goes through raw-command.ts.
 */

export type PreviewForm = "preview" | "snippet" | null;

export function previewForm(capabilities: Map<string, unknown> | Set<string>): PreviewForm {
  if (capabilities.has("PREVIEW")) return "preview";
  if (capabilities.has("SNIPPET=FUZZY")) return "snippet";
  return null;
}

// RFC 8970 §3: at most 256 characters; anything longer is the server's mistake, not ours to show.
const MAX_PREVIEW = 256;

/** Mail is hostile: no control characters, whitespace folded, length capped. */
export function cleanPreview(text: string): string | null {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+/g, " ").replace(/\s+/g, " ").trim();
  if (!clean) return null;
  return clean.length > MAX_PREVIEW ? `${clean.slice(0, MAX_PREVIEW - 1)}…` : clean;
}

/**
 * Reads one untagged FETCH response's attribute list ("UID 7 PREVIEW "text"" or
 * "UID 7 SNIPPET (FUZZY "text")") into [uid, preview].
 */
export function parsePreviewFetch(items: RawAttribute[]): [number, string | null] | null {
  let uid = 0;
  let preview: string | null = null;
  for (let i = 0; i + 1 < items.length; i += 2) {
    const name = tokenValue(items[i])?.toUpperCase();
    const value = items[i + 1];
    if (name === "UID") uid = Number(tokenValue(value));
    else if (name === "PREVIEW") preview = tokenValue(value);
    else if (name === "SNIPPET" && Array.isArray(value)) preview = tokenValue(value[1]);
  }
  if (!Number.isSafeInteger(uid) || uid < 1) return null;
  // "" is the server saying the message has no text; null (NIL) that it gave none, so the list
  // asks for a snippet made from the body instead (lib/mail/snippets), as on a server without PREVIEW.
  return [uid, preview === null ? null : (cleanPreview(preview) ?? "")];
}

/**
 * Previews of `uids` in the selected folder; an empty map when the server offers none (rows then
 * carry a null preview, and the browser asks for snippets of the rows on screen: get-snippets.ts).
 */
export async function fetchPreviews(client: ImapFlow, uids: number[]): Promise<Map<number, string | null>> {
  const previews = new Map<number, string | null>();
  const form = previewForm(client.capabilities);
  if (!form || uids.length === 0) return previews;
  const item = form === "preview" ? [atom("PREVIEW")] : [atom("SNIPPET"), [atom("FUZZY")]];
  await runRawCommand(client, "UID FETCH", [sequence(uids.join(",")), [atom("UID"), ...item]], {
    FETCH: (response) => {
      // "* 12 FETCH (…)": the first attribute is the keyword, the second the list.
      const list = response.attributes?.[1];
      const parsed = Array.isArray(list) ? parsePreviewFetch(list) : null;
      if (parsed) previews.set(parsed[0], parsed[1]);
    },
  });
  return previews;
}
