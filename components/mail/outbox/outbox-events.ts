// How the composer hands a queued message to the shell: the composer closes at once, while the
// shell's send tracker shows the "Sending in 10 s… Undo" toast and follows the message to "Sent".
import type { OutboxItem } from "@/lib/mail/types";

export const QUEUED_EVENT = "letterbox:queued";

export interface QueuedDetail {
  item: OutboxItem;
  /** The undo window in ms as this browser counts it (the server's clock may differ a little). */
  windowMs: number;
}

export function announceQueued(detail: QueuedDetail): void {
  window.dispatchEvent(new CustomEvent<QueuedDetail>(QUEUED_EVENT, { detail }));
}
