// The contract with the composer (issue 3): the list and shortcuts ask for a composer by event, so
// neither side imports the other. The compose branch has the same event and function in
// components/mail/composer/compose-event.ts; after both are merged this file can go.

export const COMPOSE_EVENT = "letterbox:compose";

export type ComposeRequest =
  | { mode: "new" }
  | { mode: "reply" | "replyAll" | "forward"; folder: string; uidValidity: string; uid: number };

export function openComposer(detail: ComposeRequest): void {
  window.dispatchEvent(new CustomEvent<ComposeRequest>(COMPOSE_EVENT, { detail }));
}
