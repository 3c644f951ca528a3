import "server-only";
import { randomUUID } from "node:crypto";
import { readBackgroundCredentials } from "@/lib/auth/background-credentials";
import { publishEvent } from "@/lib/events";
import { enqueue } from "@/lib/jobs";
import { rememberAddresses } from "@/lib/mail/compose/address-book";
import type { MailAccount } from "@/lib/mail/imap/account";
import { appendToSpecialFolder } from "@/lib/mail/imap/append-message";
import { appendToFolder } from "@/lib/mail/imap/append-to-folder";
import { deleteDraft } from "@/lib/mail/imap/delete-draft";
import { markAnswered } from "@/lib/mail/imap/mark-answered";
import { stripBccHeader } from "@/lib/mail/smtp/build-message";
import { submitMessage } from "@/lib/mail/smtp/submit-message";
import { getStore } from "@/lib/store";
import { classifyFailure, retryDelayMs, wholeMessageReply, type FailedDelivery } from "./classify-failure";
import { OUTBOX_JOB, outboxLease, readEntry, recordOutcome, removeEntry, writeEntry, type OutboxEntry } from "./outbox-entries";
import { buildReport, fileFailureReport } from "./file-failure-report";
import { returnToDrafts } from "./return-to-drafts";

const LEASE_MS = 60_000;

export interface SubmitOptions {
  /** The job id that runs this try: a job replaced by "Send now" or a retry finds itself stale. */
  jobId: string;
  now?: () => number;
  random?: () => number;
}

const warn = (step: string, error: unknown) =>
  console.warn(`[letterbox] outbox: sent, but ${step} failed (${(error as { code?: string })?.code ?? "unknown"})`);

/**
 * Submits one due outbox message — the outbox job's work. Exactly once, as far as SMTP allows:
 * - Only one instance works on a message: the message's lease (also taken by Cancel and Send now)
 *   is held for the whole try, and a job whose id is no longer the entry's does nothing.
 * - The try is recorded ("sending", attempts + 1) before the submission, and "accepted" with the
 *   server's outcome as soon as the server accepted it; the bookkeeping (Sent, draft, original's
 *   flag) runs after and is repeated from "accepted" if the process died in it, never the submission.
 * - The remaining window: a crash after the server's final 250 reply to DATA (RFC 5321 §4.1.1.4)
 *   and before "accepted" is written (one store write, milliseconds) leaves "sending"; the next run
 *   submits again, so the recipients may get it twice. SMTP offers no way to ask a submission
 *   server whether it already took a message; we chose a rare duplicate over a lost message.
 *   A crash between filing in Sent and writing `filedInSent` may file a second Sent copy.
 */
export async function submitDueMessage(login: string, id: string, options: SubmitOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const store = await getStore();
  const lease = outboxLease(login, id);
  const holder = `submit-${randomUUID()}`;
  // Held by Cancel or Send now (or another instance): the job runs again after the worker's backoff.
  if (!(await store.leases.acquire(lease, holder, LEASE_MS))) throw new Error("outbox message busy");
  const renew = setInterval(() => void store.leases.renew(lease, holder, LEASE_MS).catch(() => undefined), LEASE_MS / 3);
  try {
    const entry = await readEntry(login, id);
    if (!entry || entry.jobId !== options.jobId) return;
    const credentials = await readBackgroundCredentials(login);
    if (!credentials) {
      // The key changed or the entry was released: nothing can be sent until the user is back.
      await reschedule(entry, "Letterbox needs you to sign in again before it can send this message.", now, options.random);
      return;
    }
    const account: MailAccount = { key: `outbox:${login.toLowerCase()}`, ...credentials };
    if (entry.state === "accepted") return await finishAccepted(account, entry);
    if (entry.state === "failed") return await giveUp(account, entry, null, entry.lastError ?? "", now);

    const trying: OutboxEntry = { ...entry, state: "sending", attempts: entry.attempts + 1 };
    await writeEntry(trying);
    let submitted;
    try {
      submitted = await submitMessage(account, stripBccHeader(Buffer.from(entry.raw, "base64")), entry.envelope);
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === "temporary" && now() < entry.giveUpAt) {
        await reschedule(trying, failure.reason, now, options.random);
        return;
      }
      const recipients: FailedDelivery[] =
        failure.kind === "permanent" && failure.recipients
          ? failure.recipients
          : trying.envelope.to.map((address) => ({ address, ...wholeMessageReply(error, failure.reason) }));
      const explanation =
        failure.kind === "permanent"
          ? "Your message could not be delivered: the mail server refused it. It is back in your Drafts, ready to fix and send again."
          : "Your message could not be delivered: the mail server could not take it in the time Letterbox keeps trying. It is back in your Drafts.";
      await giveUp(account, { ...trying, lastError: failure.reason }, recipients, explanation, now, failure.kind === "permanent");
      return;
    }
    const accepted: OutboxEntry = {
      ...trying,
      state: "accepted",
      lastError: null,
      outcome: {
        accepted: submitted.accepted,
        rejected: submitted.rejected.map((r) => ({ ...r, code: r.code ?? (/\(temporary\)$/.test(r.reason) ? 450 : 550) })),
      },
    };
    await writeEntry(accepted);
    await finishAccepted(account, accepted);
  } finally {
    clearInterval(renew);
    await store.leases.release(lease, holder).catch(() => undefined);
  }
}

async function reschedule(entry: OutboxEntry, reason: string, now: () => number, random?: () => number): Promise<void> {
  const dueAt = now() + retryDelayMs(Math.max(entry.attempts, 1), random);
  const jobId = `${OUTBOX_JOB}:${entry.login.toLowerCase()}:${entry.id}:${randomUUID()}`;
  await writeEntry({ ...entry, state: "retrying", lastError: reason, dueAt, jobId });
  await enqueue(OUTBOX_JOB, { login: entry.login, id: entry.id }, { runAt: dueAt, id: jobId });
}

/** After acceptance: the Sent copy, the draft removed, the original flagged; a report for refused recipients. */
async function finishAccepted(account: MailAccount, entry: OutboxEntry): Promise<void> {
  const raw = Buffer.from(entry.raw, "base64");
  if (!entry.filedInSent) {
    // A failure here throws: the job runs again from "accepted" and files it then (never resends).
    await appendToSpecialFolder(account, "sent", raw, ["\\Seen"], entry.messageId);
    await writeEntry({ ...entry, filedInSent: true });
  }
  if (entry.draft) await deleteDraft(account, entry.draft).catch((error: unknown) => warn("removing the draft", error));
  if (entry.origin) await markAnswered(account, entry.origin.ref, entry.origin.mode).catch((error: unknown) => warn("flagging the original", error));
  // The recipients as the user wrote them, names and all ("Bob Example <bob@…>"); the envelope has
  // bare addresses only (entries queued before the view was kept).
  const recipients = entry.view ? [...entry.view.to, ...entry.view.cc, ...entry.view.bcc] : entry.envelope.to.map((address) => ({ name: "", address }));
  await rememberAddresses(account.login, recipients, 3).catch(() => undefined);
  const refused = entry.outcome?.rejected ?? [];
  if (refused.length && !entry.reportFiled) {
    // Partial acceptance stops at once: the accepted recipients got it; the refused ones are named.
    const report = await buildReport(
      entry,
      refused.map((r) => ({ address: r.address, reply: r.reply || r.reason, code: r.code })),
      "Your message was delivered to some recipients, but the mail server refused the others named below. The message is in Sent.",
    );
    await appendToFolder(account, "INBOX", report, { flags: [], internalDate: new Date() });
    await writeEntry({ ...entry, filedInSent: true, reportFiled: true });
  }
  // Before the entry goes, so a tab watching this message never finds neither.
  await recordOutcome(entry.login, entry.id, { kind: "sent", refused: refused.map((r) => r.address) });
  await removeEntry(entry.login, entry.id);
  await publishEvent(entry.login, { type: "message-sent", messageId: entry.messageId }).catch(() => undefined);
}

/**
 * Given up (a permanent refusal, or the give-up time passed): the "not delivered" report in Inbox,
 * the message back in Drafts, the entry gone. When the mailbox cannot be reached either (a changed
 * password refuses IMAP as well as SMTP), the entry stays as "failed" with the reason, and the job
 * throws so the worker tries this step again; "Cancel sending" from a session returns it to Drafts.
 */
async function giveUp(
  account: MailAccount,
  entry: OutboxEntry,
  recipients: FailedDelivery[] | null,
  explanation: string,
  now: () => number,
  permanent = true,
): Promise<void> {
  // Written first: if the mailbox is out of reach, the Outbox shows why and Cancel can finish this.
  const failed: OutboxEntry = {
    ...entry,
    state: "failed",
    failure: recipients ? { recipients, explanation, permanent } : entry.failure,
  };
  await writeEntry(failed);
  await fileFailureReport(account, failed, new Date(now()));
  await returnToDrafts(account, failed);
  await recordOutcome(entry.login, entry.id, { kind: "returned", reason: failed.lastError ?? "The mail server refused it." });
  await removeEntry(entry.login, entry.id);
}
