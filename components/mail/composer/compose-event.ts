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
