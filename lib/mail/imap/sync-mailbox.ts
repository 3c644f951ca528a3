import "server-only";
import type { ImapFlow } from "imapflow";

/**
 * A pooled connection may have held this folder selected since an earlier request, and a server
 * tells a session about messages that arrived meanwhile only when it next answers (RFC 3501 §7:
 * EXISTS comes with a command's response). Dovecot ignores UIDs the session has not been told of
 * yet, so an action on a just-arrived message would silently do nothing. A NOOP (§6.1.2) brings
 * the session up to date first; it costs one round trip.
 */
export async function syncMailbox(client: ImapFlow): Promise<void> {
  await client.noop();
}
