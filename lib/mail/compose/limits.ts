import "server-only";
import { serverConfig } from "@/lib/env";
import { advertisedSizeLimit } from "@/lib/mail/smtp/submit-message";
import type { ComposeLimits } from "@/lib/mail/types";

/** Room for the header, the text and HTML parts and the MIME boundaries of a message. */
const MESSAGE_HEADROOM = 256 * 1024;

/** Base64 (RFC 2045 §6.8) turns each 57 bytes into a 76-character line plus CRLF: 78 bytes. */
export function encodedSize(bytes: number): number {
  return Math.ceil(bytes / 57) * 78;
}

/** The largest file whose encoded form still fits a message of `maxMessageBytes`. */
export function largestAttachment(maxMessageBytes: number): number {
  return Math.max(0, Math.floor((maxMessageBytes - MESSAGE_HEADROOM) / 78) * 57);
}

/**
 * The limits the composer enforces before sending: the SMTP server's SIZE (RFC 1870) when it
 * advertises one, else MAIL_MAX_MESSAGE_BYTES. An unreachable server does not stop uploads: the
 * configured limit applies, and the send itself reports the server's state.
 */
export async function composeLimits(): Promise<ComposeLimits> {
  const advertised = await advertisedSizeLimit().catch(() => null);
  const maxMessageBytes = advertised ?? serverConfig().maxMessageBytes;
  return { maxMessageBytes, maxUploadBytes: largestAttachment(maxMessageBytes) };
}

/** An upper estimate of the message's size, so an oversized one is refused before anything is built. */
export function estimateMessageSize(attachmentBytes: readonly number[], bodyChars: number): number {
  return attachmentBytes.reduce((sum, n) => sum + encodedSize(n) + 512, 0) + bodyChars * 3 + 16 * 1024;
}
