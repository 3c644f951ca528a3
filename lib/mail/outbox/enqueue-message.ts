import "server-only";
import { randomUUID } from "node:crypto";
import { holdBackgroundCredentials } from "@/lib/auth/background-credentials";
import { serverConfig } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { toOutgoing, encodeOrigin, type ComposeInput } from "@/lib/mail/compose/draft-input";
import { composeLimits } from "@/lib/mail/compose/limits";
import { releaseUploads, uploadsOf } from "@/lib/mail/compose/upload-store";
import type { MailAccount } from "@/lib/mail/imap/account";
import { buildMessage } from "@/lib/mail/smtp/build-message";
import type { MessageRefData, OutboxItem } from "@/lib/mail/types";
import { enqueue } from "@/lib/jobs";
import { getSettings } from "@/lib/settings/get-settings";
import { getStore } from "@/lib/store";
import { CREDENTIAL_REASON, ENQUEUE_CLAIM_MS, enqueueClaimKey, OUTBOX_JOB, readEntry, toItem, VIEW_TEXT_CHARS, writeEntry, type OutboxEntry } from "./outbox-entries";

export interface EnqueueInput extends ComposeInput {
  /** One per message, made by the composer: enqueuing the same key twice queues it once. */
  idempotencyKey: string;
  draft: MessageRefData | null;
  /** Epoch ms for "Send later"; null sends after the user's undo window. */
  sendAt: number | null;
}

/**
 * "Send": the message is built once (as a direct send builds it), its bytes and envelope kept in
 * the login's outbox, and a job queued for the end of the undo window or the scheduled time. The
 * uploads are released at once (the bytes are in the outbox); the login's password is kept for
 * the worker as a background credential under "outbox" until the outbox is empty again.
 */
export async function enqueueMessage(account: MailAccount, input: EnqueueInput, now = Date.now()): Promise<OutboxItem> {
  if (input.to.length + input.cc.length + input.bcc.length === 0) throw new AppError("NO_RECIPIENTS");
  // "Send later" to a time already gone would send at once, which is not what the user asked for.
  if (input.sendAt !== null && input.sendAt < now) throw new AppError("SEND_AT_PAST");
  const store = await getStore();
  // A repeat of the same key (double click, retried request, another instance) queues nothing more.
  if (!(await store.kv.setIfAbsent(enqueueClaimKey(account.login, input.idempotencyKey), { at: now }, { ttlMs: ENQUEUE_CLAIM_MS }))) {
    const existing = await readEntry(account.login, input.idempotencyKey);
    if (existing) return toItem(existing);
    // Queued before and already sent or returned to Drafts: never a second time.
    throw new AppError("OUTBOX_NOT_FOUND");
  }
  try {
    const [{ maxMessageBytes }, settings] = await Promise.all([composeLimits(), getSettings(account.login)]);
    const uploads = await uploadsOf(account.key, input.attachmentIds);
    const outgoing = await toOutgoing(account, input, { unique: input.idempotencyKey, maxMessageBytes, fromName: settings.displayName });
    const built = await buildMessage(outgoing);
    const dueAt = input.sendAt ?? now + settings.undoSendSeconds * 1000;
    const jobId = `${OUTBOX_JOB}:${account.login.toLowerCase()}:${input.idempotencyKey}:${randomUUID()}`;
    const entry: OutboxEntry = {
      id: input.idempotencyKey,
      login: account.login,
      messageId: outgoing.messageId,
      subject: input.subject,
      raw: built.withBcc.toString("base64"),
      envelope: built.envelope,
      draft: input.draft,
      origin: input.origin,
      originHeader: encodeOrigin(input.origin),
      createdAt: now,
      dueAt,
      giveUpAt: dueAt + serverConfig().outboxGiveUpMs,
      scheduled: input.sendAt !== null,
      state: input.sendAt !== null ? "scheduled" : "waiting",
      attempts: 0,
      lastError: null,
      jobId,
      view: {
        to: outgoing.to,
        cc: outgoing.cc,
        bcc: outgoing.bcc,
        text: outgoing.text.slice(0, VIEW_TEXT_CHARS),
        attachments: uploads.map((u) => ({ filename: u.filename, size: u.size })),
      },
    };
    // The credential first: a job must never find its message without the means to send it.
    await holdBackgroundCredentials(account.login, account.password, CREDENTIAL_REASON);
    await writeEntry(entry);
    await enqueue(OUTBOX_JOB, { login: account.login, id: entry.id }, { runAt: dueAt, id: jobId });
    await releaseUploads(account.key, input.attachmentIds);
    return toItem(entry);
  } catch (error) {
    await store.kv.delete(enqueueClaimKey(account.login, input.idempotencyKey));
    throw error;
  }
}
