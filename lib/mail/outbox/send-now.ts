import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";
import type { OutboxItem } from "@/lib/mail/types";
import { cancel, enqueue } from "@/lib/jobs";
import { getStore } from "@/lib/store";
import { OUTBOX_JOB, outboxLease, readEntry, toItem, writeEntry } from "./outbox-entries";

/**
 * "Send now": a waiting, scheduled or retrying message becomes due at once. Under the message's
 * lease, like a submission, and with a fresh job id, so a run already queued cannot send it twice.
 */
export async function sendNow(account: MailAccount, id: string, now = Date.now()): Promise<OutboxItem> {
  const store = await getStore();
  const lease = outboxLease(account.login, id);
  const holder = `send-now-${randomUUID()}`;
  if (!(await store.leases.acquire(lease, holder, 30_000))) {
    if (!(await readEntry(account.login, id))) throw new AppError("OUTBOX_NOT_FOUND");
    throw new AppError("OUTBOX_BUSY");
  }
  try {
    const entry = await readEntry(account.login, id);
    if (!entry) throw new AppError("OUTBOX_NOT_FOUND");
    if (entry.state === "accepted" || entry.state === "sending") throw new AppError("OUTBOX_BUSY");
    await cancel(entry.jobId);
    const jobId = `${OUTBOX_JOB}:${account.login.toLowerCase()}:${id}:${randomUUID()}`;
    const next = { ...entry, dueAt: now, jobId };
    await writeEntry(next);
    await enqueue(OUTBOX_JOB, { login: account.login, id }, { runAt: now, id: jobId });
    return toItem(next);
  } finally {
    await store.leases.release(lease, holder);
  }
}
