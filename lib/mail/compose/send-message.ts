import "server-only";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";
import { appendToSpecialFolder } from "@/lib/mail/imap/append-message";
import { deleteDraft } from "@/lib/mail/imap/delete-draft";
import { markAnswered } from "@/lib/mail/imap/mark-answered";
import { buildMessage } from "@/lib/mail/smtp/build-message";
import { submitMessage } from "@/lib/mail/smtp/submit-message";
import type { MessageRefData, SendResult } from "@/lib/mail/types";
import { getSettings } from "@/lib/settings/get-settings";
import { rememberAddresses } from "./address-book";
import { toOutgoing, type ComposeInput } from "./draft-input";
import { runOnce } from "./idempotency";
import { composeLimits } from "./limits";
import { releaseUploads } from "./upload-store";

export interface SendInput extends ComposeInput {
  /** One per message, made by the composer: a repeat of the same send never sends twice. */
  idempotencyKey: string;
  /** The saved draft this message came from, deleted once it is sent. */
  draft: MessageRefData | null;
}

function warn(step: string, error: unknown): void {
  const e = error as { code?: string } | null;
  console.warn(`[letterbox] sent, but ${step} failed (${e?.code ?? "unknown"})`);
}

/**
 * Sends a message: built once, submitted over SMTP with the user's credentials (Bcc only in the
 * envelope), then the same bytes with Bcc filed in Sent as \Seen, the draft removed and the
 * original flagged. Once the server has accepted the message, a failure of the IMAP steps no
 * longer fails the send: the result says the Sent copy is missing instead. A refusal before
 * acceptance throws an AppError and keeps the uploads, so the composer can save and retry.
 */
export function sendMessage(account: MailAccount, input: SendInput): Promise<SendResult> {
  return runOnce<SendResult>(account.login, input.idempotencyKey, async ({ commit }) => {
    if (input.to.length + input.cc.length + input.bcc.length === 0) throw new AppError("NO_RECIPIENTS");
    const [{ maxMessageBytes }, settings] = await Promise.all([composeLimits(), getSettings(account.login)]);
    const outgoing = await toOutgoing(account, input, { unique: input.idempotencyKey, maxMessageBytes, fromName: settings.displayName });
    const built = await buildMessage(outgoing);
    const submitted = await submitMessage(account, built.forTransport, built.envelope);
    // Accepted: from here a repeat of this key returns this outcome, even if this process stops
    // before Sent is filed (it then reports the Sent copy as missing, which is the truth).
    // The browser gets each refusal in words; the raw replies are for delivery reports only.
    const rejected = submitted.rejected.map(({ address, reason }) => ({ address, reason }));
    await commit({ accepted: submitted.accepted, rejected, savedToSent: false, messageId: outgoing.messageId });

    let savedToSent = true;
    await appendToSpecialFolder(account, "sent", built.withBcc, ["\\Seen"], outgoing.messageId).catch((error: unknown) => {
      savedToSent = false;
      warn("filing the copy in Sent", error);
    });
    if (input.draft) await deleteDraft(account, input.draft).catch((error: unknown) => warn("removing the draft", error));
    if (input.origin) {
      await markAnswered(account, input.origin.ref, input.origin.mode).catch((error: unknown) => warn("flagging the original", error));
    }
    await rememberAddresses(account.login, [...outgoing.to, ...outgoing.cc, ...outgoing.bcc], 3);
    // Rejected recipients may be corrected and sent again, attachments and all: keep the files then.
    if (submitted.rejected.length === 0) await releaseUploads(account.key, input.attachmentIds);
    return { accepted: submitted.accepted, rejected, savedToSent, messageId: outgoing.messageId };
  });
}
