import "server-only";
import { defineJob } from "@/lib/jobs";
import { OUTBOX_JOB } from "./outbox-entries";
import { submitDueMessage } from "./submit-due-message";

/**
 * One job per try of an outbox message, due at its send time. SMTP failures are handled inside
 * (retry schedule, give-up, report); the worker's own retries cover only what throws besides —
 * the store or the IMAP bookkeeping briefly away, or the message's lease held by Cancel.
 */
export const outboxJob = defineJob<{ login: string; id: string }>({
  name: OUTBOX_JOB,
  attempts: 50,
  backoffMs: (attempt) => Math.min(5_000 * 2 ** (attempt - 1), 10 * 60_000),
  run: (payload, context) => submitDueMessage(payload.login, payload.id, { jobId: context.id }),
});
