// How anything in the app opens the composer: buttons, the reader, and the keyboard shortcuts of
// issue 4 (c, r, a, f) dispatch this one window event; the composer host listens for it.
import type { MessageRefData } from "@/lib/mail/types";

export const COMPOSE_EVENT = "letterbox:compose";

export type ComposeRequestDetail =
  | { mode: "new" }
  | ({ mode: "reply" | "replyAll" | "forward" } & MessageRefData)
  /** Reopen a saved draft (opening a message in Drafts). */
  | ({ mode: "draft" } & MessageRefData);

export function openComposer(detail: ComposeRequestDetail): void {
  window.dispatchEvent(new CustomEvent<ComposeRequestDetail>(COMPOSE_EVENT, { detail }));
}

export function isComposeDetail(value: unknown): value is ComposeRequestDetail {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  if (v.mode === "new") return true;
  return (
    (v.mode === "reply" || v.mode === "replyAll" || v.mode === "forward" || v.mode === "draft") &&
    typeof v.folder === "string" &&
    typeof v.uidValidity === "string" &&
    typeof v.uid === "number"
  );
}

const SIGN_OUT_EVENT = "letterbox:sign-out";

/**
 * Before signing out, an open composer saves its draft to Drafts; each one adds whether that went
 * through. True when every message being written is safe on the server.
 */
export async function saveDraftsBeforeSignOut(): Promise<boolean> {
  const pending: Promise<boolean>[] = [];
  window.dispatchEvent(new CustomEvent(SIGN_OUT_EVENT, { detail: { pending } }));
  return (await Promise.all(pending)).every(Boolean);
}

export function onSignOutSave(save: () => Promise<boolean>): () => void {
  const listener = (event: Event) => (event as CustomEvent<{ pending: Promise<boolean>[] }>).detail.pending.push(save());
  window.addEventListener(SIGN_OUT_EVENT, listener);
  return () => window.removeEventListener(SIGN_OUT_EVENT, listener);
}
