import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";
import type { MessageRefData } from "@/lib/mail/types";
import { cancel } from "@/lib/jobs";
import { getStore } from "@/lib/store";
import { enqueueClaimKey, outboxLease, readEntry, recordOutcome, removeEntry } from "./outbox-entries";
import { fileFailureReport } from "./file-failure-report";
import { returnToDrafts } from "./return-to-drafts";

const LEASE_MS = 60_000;

/**
 * "Undo" / "Cancel sending": takes the message out of the outbox and back into Drafts as it was,
 * returning the draft for the composer to reopen. Under the message's lease, so it can never
 * overlap a submission on any instance: while one runs, the answer is OUTBOX_BUSY.
 */
export async function cancelMessage(account: MailAccount, id: string): Promise<MessageRefData> {
  const store = await getStore();
  const lease = outboxLease(account.login, id);
  const holder = `cancel-${randomUUID()}`;
  if (!(await store.leases.acquire(lease, holder, LEASE_MS))) {
    if (!(await readEntry(account.login, id))) throw new AppError("OUTBOX_NOT_FOUND");
    throw new AppError("OUTBOX_BUSY");
  }
  try {
    const entry = await readEntry(account.login, id);
    if (!entry) throw new AppError("OUTBOX_NOT_FOUND");
    // Accepted by the server: it has gone; only the bookkeeping is left to the worker.
    if (entry.state === "accepted") throw new AppError("OUTBOX_BUSY");
    await cancel(entry.jobId);
    // Given up while the mailbox was out of reach (a changed password): the report is filed now.
    if (entry.state === "failed") await fileFailureReport(account, entry, new Date());
    const draft = await returnToDrafts(account, entry);
    await recordOutcome(account.login, id, { kind: "cancelled" });
    await removeEntry(account.login, id);
    // Unsent and back in Drafts: the same key may be queued again.
    await store.kv.delete(enqueueClaimKey(account.login, id));
    return draft;
  } finally {
    await store.leases.release(lease, holder);
  }
}
