import "server-only";
import type { MailEvent } from "@/lib/mail/types";
import { getStore } from "@/lib/store";

/**
 * Events between instances: something that happened on one instance (a message sent, a folder
 * changed, new mail seen by IDLE) reaches subscribers on every instance — the live-mail route of the
 * instance the user's browser is connected to. In-process with SQLite (one instance), Redis pub/sub
 * when LETTERBOX_REDIS_URL is set. Delivery is at most once: a subscriber that was not connected
 * misses the event, so an event says "look again", never carries state that exists nowhere else.
 */

// The events are domain types (lib/mail/types.ts): the browser reads the same shapes from /api/events.
export type { MailEvent };

/** A user's events, whichever of their sessions or instances caused them. */
export function userChannel(login: string): string {
  return `user:${login.toLowerCase()}`;
}

export async function publishEvent(login: string, event: MailEvent): Promise<void> {
  await (await getStore()).pubsub.publish(userChannel(login), event);
}

/** Calls `handler` for each event of `login` until the returned function is called. */
export async function subscribeEvents(login: string, handler: (event: MailEvent) => void): Promise<() => Promise<void>> {
  return (await getStore()).pubsub.subscribe<MailEvent>(userChannel(login), handler);
}
