import "server-only";

/**
 * The header Letterbox adds to a fetched message that has no Message-ID, so that a run which
 * stopped between APPEND and writing down "appended" can still find out whether APPEND happened.
 * Messages with a Message-ID are filed byte for byte as the POP3 server served them and looked up
 * by Message-ID and size instead.
 */
export const RECOVERY_HEADER = "X-Letterbox-Pop3-UIDL";

/**
 * The header's value: the message's unique-id and the POP3 mailbox's key (unique-ids are unique per
 * mailbox only, RFC 1939 §7, and several accounts may fetch into one folder). A UIDL is 1–70
 * characters from 0x21–0x7E, so the value is always a valid unstructured header value.
 */
export function recoveryMarker(mailboxKey: string, uid: string): string {
  return `${uid}; mailbox=${mailboxKey}`;
}

/**
 * The message with the marker as its first header line. Prepended, as trace fields are
 * (RFC 5322 §3.6.7): the rest of the message is left byte for byte as it was. POP3 serves lines
 * ending in CRLF (RFC 1939 §3), and so does this one.
 */
export function withRecoveryMarker(raw: Buffer, marker: string): Buffer {
  return Buffer.concat([Buffer.from(`${RECOVERY_HEADER}: ${marker}\r\n`, "latin1"), raw]);
}
