import "server-only";
import type { OutboxItem } from "@/lib/mail/types";
import { getStore } from "@/lib/store";
import { outboxCollection, toItem, type OutboxEntry } from "./outbox-entries";

/** The login's outbox, soonest due first (the Outbox view; its count shows in the folder list). */
export async function listOutbox(login: string): Promise<OutboxItem[]> {
  const records = await (await getStore()).records.scan<OutboxEntry>(outboxCollection(login));
  return records.map((r) => toItem(r.value));
}
