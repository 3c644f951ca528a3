import "server-only";
import { AppError } from "@/lib/errors";
import type { OutboxLookup } from "@/lib/mail/types";
import { readEntry, readOutcome, toMessage } from "./outbox-entries";

/**
 * One outbox message for the Outbox view (recipients, text, attachment names; never the bytes),
 * or, once it has left the outbox, what became of it — how a tab learns that its "Send" went out.
 */
export async function getOutboxMessage(login: string, id: string): Promise<OutboxLookup> {
  const entry = await readEntry(login, id);
  if (entry) return { message: toMessage(entry), outcome: null };
  const outcome = await readOutcome(login, id);
  if (outcome) return { message: null, outcome };
  throw new AppError("OUTBOX_NOT_FOUND");
}
