// The message being written, kept in the browser so that a closed tab or a reload loses nothing.
// Apart from the composer so that the mail view can look for one without loading the composer's
// code (the address parser among it).
import type { ComposerState } from "./composer-state";

const storageKey = (login: string) => `letterbox:composer:${login}`;

/** Uploads still in flight cannot survive a reload; finished ones are referenced by id. */
export function storeLocally(login: string, s: ComposerState): void {
  try {
    const kept = { ...s, attachments: s.attachments.filter((a) => a.status === "done") };
    window.localStorage.setItem(storageKey(login), JSON.stringify(kept));
  } catch {
    // Storage full or disabled: the server-side draft still holds the message.
  }
}

/** What the browser kept, as stored: the composer parses its recipients again (reparseChips). */
export function loadLocal(login: string): ComposerState | null {
  try {
    const raw = window.localStorage.getItem(storageKey(login));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as ComposerState;
    if (!Array.isArray(parsed.to) || typeof parsed.body !== "string") return null;
    return parsed;
  } catch {
    return null;
  }
}

export function clearLocal(login: string): void {
  try {
    window.localStorage.removeItem(storageKey(login));
  } catch {
    // Nothing to clear.
  }
}
