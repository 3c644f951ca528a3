import "server-only";

// The shape of one node of a message's MIME tree as the server describes it (IMAP BODYSTRUCTURE,
// RFC 3501 §7.4.2), independent of the IMAP library that fetched it.
export interface MimeNode {
  /** Body part number; absent on the root of a multipart message. */
  part?: string;
  /** Lower-case "type/subtype". */
  type: string;
  parameters?: Record<string, string>;
  /** Content-ID, with or without angle brackets as the message wrote it. */
  id?: string;
  encoding?: string;
  size?: number;
  disposition?: string;
  dispositionParameters?: Record<string, string>;
  /**
   * For message/rfc822 parts, the embedded message's envelope (BODYSTRUCTURE carries it, RFC 3501
   * §7.4.2): its subject names the attachment when the part has no filename.
   */
  envelope?: { subject?: string };
  childNodes?: MimeNode[];
}
