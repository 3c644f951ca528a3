import "server-only";
import { ORIGIN_HEADER } from "@/lib/mail/compose/draft-input";
import type { MailAccount } from "@/lib/mail/imap/account";
import { appendToSpecialFolder } from "@/lib/mail/imap/append-message";
import { deleteDraft } from "@/lib/mail/imap/delete-draft";
import type { MessageRefData } from "@/lib/mail/types";
import type { OutboxEntry } from "./outbox-entries";

/**
 * The queued message back in Drafts exactly as it was built: the same bytes (recipients with Bcc,
 * subject, body, attachments, In-Reply-To/References), plus our origin header so it reopens as the
 * reply or forward it was. The autosaved draft it came from is removed after, as saveDraft does.
 */
export async function returnToDrafts(account: MailAccount, entry: OutboxEntry): Promise<MessageRefData> {
  const raw = Buffer.from(entry.raw, "base64");
  const bytes = entry.originHeader ? Buffer.concat([Buffer.from(`${ORIGIN_HEADER}: ${entry.originHeader}\r\n`, "latin1"), raw]) : raw;
  const saved = await appendToSpecialFolder(account, "drafts", bytes, ["\\Draft", "\\Seen"], entry.messageId);
  if (entry.draft) {
    await deleteDraft(account, entry.draft).catch((error: unknown) => {
      console.warn(`[letterbox] outbox: the earlier draft was not removed (${(error as { code?: string })?.code ?? "unknown"})`);
    });
  }
  return saved;
}
