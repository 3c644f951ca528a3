import "server-only";
import type { MailAccount } from "@/lib/mail/imap/account";
import { appendToSpecialFolder } from "@/lib/mail/imap/append-message";
import { deleteDraft } from "@/lib/mail/imap/delete-draft";
import { buildMessage } from "@/lib/mail/smtp/build-message";
import type { MessageRefData } from "@/lib/mail/types";
import { getSettings } from "@/lib/settings/get-settings";
import { encodeOrigin, ORIGIN_HEADER, toOutgoing, type ComposeInput } from "./draft-input";

/**
 * Saves the composer's state in Drafts, flagged \Draft (and \Seen: one's own draft is not unread),
 * then removes the version it replaces — in that order, so a failure between the two leaves two
 * copies rather than none. Invalid recipients are left out of the draft, not refused: a draft is
 * work in progress. Attachments go into the draft itself, so it reopens whole in any client.
 */
export async function saveDraft(
  account: MailAccount,
  input: ComposeInput,
  replaces: MessageRefData | null,
): Promise<MessageRefData> {
  const origin = encodeOrigin(input.origin);
  // The draft carries the same From as the message it becomes, so other clients show it alike.
  const { displayName } = await getSettings(account.login);
  const outgoing = await toOutgoing(account, input, {
    dropInvalid: true,
    headers: origin ? { [ORIGIN_HEADER]: origin } : undefined,
    fromName: displayName,
  });
  const built = await buildMessage(outgoing);
  const saved = await appendToSpecialFolder(account, "drafts", built.withBcc, ["\\Draft", "\\Seen"], outgoing.messageId);
  if (replaces) {
    await deleteDraft(account, replaces).catch((error: unknown) => {
      console.warn(`[letterbox] the previous draft version was not removed (${(error as { code?: string })?.code ?? "unknown"})`);
    });
  }
  return saved;
}
