import "server-only";
import { downloadPart } from "@/lib/mail/imap/download-part";
import type { MailAccount } from "@/lib/mail/imap/account";
import type { Attachment, MessageRefData, UploadedFile } from "@/lib/mail/types";
import { composeLimits } from "./limits";
import { saveUpload } from "./upload-store";

/**
 * Copies a message's attachments into this session's uploads, streamed part by part from IMAP to
 * disk: a forward carries them, a reopened draft gets them back. They then behave like files the
 * user attached (removable, sent by id), and the message they came from may change or go away.
 */
export async function importAttachments(
  account: MailAccount,
  ref: MessageRefData,
  attachments: readonly Attachment[],
): Promise<UploadedFile[]> {
  const { maxUploadBytes } = await composeLimits();
  const imported: UploadedFile[] = [];
  for (const attachment of attachments.filter((a) => !a.inline)) {
    const part = await downloadPart(account, ref, attachment.partId);
    imported.push(
      await saveUpload(account.key, { filename: part.filename, contentType: part.contentType }, part.stream, maxUploadBytes),
    );
  }
  return imported;
}
