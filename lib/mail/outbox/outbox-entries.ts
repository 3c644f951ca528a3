import "server-only";
import { releaseBackgroundCredentials } from "@/lib/auth/background-credentials";
import type { Address, MessageRefData, OutboxItem, OutboxMessage, OutboxOutcome, OutboxState } from "@/lib/mail/types";
import { getStore } from "@/lib/store";

/**
 * The outbox of a login: one record per queued message in the store's `outbox:<login>` collection,
 * ordered by due time, id = the composer's idempotency key. It holds the message as built once
 * (the bytes with Bcc, as filed in Sent or returned to Drafts) and its SMTP envelope, so what is
 * submitted, filed and given back is always the same message, days later, on any instance.
 */
export interface OutboxEntry {
  id: string;
  login: string;
  messageId: string;
  subject: string;
  /** base64 of the built message with its Bcc header (stripped again at submission). */
  raw: string;
  envelope: { from: string; to: string[] };
  /** The autosaved draft this message came from: removed once the server accepted it. */
  draft: MessageRefData | null;
  /** The message replied to or forwarded, flagged once the server accepted this one. */
  origin: { mode: "reply" | "forward"; ref: MessageRefData } | null;
  /** Our bookkeeping header for the copy returned to Drafts (reopened as a reply or forward). */
  originHeader: string | null;
  createdAt: number;
  /** After this, temporary failures no longer retry: the message comes back with a report. */
  giveUpAt: number;
  /** Set once the Sent copy is filed, so a repeat of the bookkeeping does not file it twice. */
  filedInSent?: boolean;
  /** When the next try is due (and the job's runAt). */
  dueAt: number;
  scheduled: boolean;
  /**
   * "sending" is written before each submission; "accepted" as soon as the server accepted it.
   * After a crash the next run reads which: see submit-due-message.ts for the remaining window.
   */
  state: OutboxState | "accepted";
  attempts: number;
  lastError: string | null;
  /** The job that will submit it next (a new id per try; cancel removes it). */
  jobId: string;
  /** Set when it was given up: what the "not delivered" report says. */
  failure?: { recipients: { address: string; reply: string; code: number | null }[]; explanation: string; permanent: boolean };
  /** Set once the report is in Inbox, so a repeat of the give-up step does not file it twice. */
  reportFiled?: boolean;
  /** Set at acceptance: recipients accepted and refused, for the bookkeeping that follows. */
  outcome?: {
    accepted: string[];
    /** `reply`: the server's whole reply, code first (absent on entries accepted before it was kept). */
    rejected: { address: string; reason: string; reply?: string; code: number | null }[];
  };
  /**
   * What the Outbox view shows when the message is opened, kept beside the bytes at enqueue so the
   * view needs no MIME parser (absent on entries queued before it existed).
   */
  view?: { to: Address[]; cc: Address[]; bcc: Address[]; text: string; attachments: { filename: string; size: number }[] };
}

/** The longest body text the Outbox view shows; the message itself is never cut. */
export const VIEW_TEXT_CHARS = 20_000;

export const OUTBOX_JOB = "outbox-submit";
export const CREDENTIAL_REASON = "outbox";

export const outboxCollection = (login: string) => `outbox:${login.trim().toLowerCase()}`;
/** Held while a message is submitted or taken back, so those two never overlap (any instance). */
export const outboxLease = (login: string, id: string) => `outbox:${login.trim().toLowerCase()}:${id}`;

export async function readEntry(login: string, id: string): Promise<OutboxEntry | null> {
  return (await (await getStore()).records.get<OutboxEntry>(outboxCollection(login), id))?.value ?? null;
}

export async function writeEntry(entry: OutboxEntry): Promise<void> {
  await (await getStore()).records.put(outboxCollection(entry.login), entry.id, entry, { sortKey: entry.dueAt });
}

/**
 * Removes a message from the outbox; with the last one goes the login's background credential
 * (held under "outbox" only while something waits). Known gap: an enqueue racing this release can
 * lose the credential it just refreshed; its job then retries until the next send or sign-in holds it again.
 */
export async function removeEntry(login: string, id: string): Promise<void> {
  const store = await getStore();
  await store.records.delete(outboxCollection(login), id);
  if ((await store.records.count(outboxCollection(login))) === 0) await releaseBackgroundCredentials(login, CREDENTIAL_REASON);
}

/**
 * The claim that makes enqueuing one idempotency key happen once, whichever instance gets it. It
 * outlives the entry (ENQUEUE_CLAIM_MS), so a request repeated after the message went out queues it
 * no second time; only Cancel deletes it, as the message is then back in Drafts, unsent.
 */
export const ENQUEUE_CLAIM_MS = 7 * 24 * 60 * 60_000;
export const enqueueClaimKey = (login: string, id: string) => `outbox-key:${login.trim().toLowerCase()}:${id}`;

/**
 * What became of a message that left the outbox, for a day: the tab that queued it polls
 * GET /api/outbox/[id] and tells the user "Sent" or why not, even when another instance sent it.
 */
const OUTCOME_MS = 24 * 60 * 60_000;
const outcomeKey = (login: string, id: string) => `outbox-outcome:${login.trim().toLowerCase()}:${id}`;

export async function recordOutcome(login: string, id: string, outcome: OutboxOutcome): Promise<void> {
  await (await getStore()).kv.set(outcomeKey(login, id), outcome, { ttlMs: OUTCOME_MS });
}

export async function readOutcome(login: string, id: string): Promise<OutboxOutcome | null> {
  return (await getStore()).kv.get<OutboxOutcome>(outcomeKey(login, id));
}

export function toMessage(entry: OutboxEntry): OutboxMessage {
  const view = entry.view;
  return {
    ...toItem(entry),
    toAddresses: view?.to ?? entry.envelope.to.map((address) => ({ name: "", address })),
    cc: view?.cc ?? [],
    bcc: view?.bcc ?? [],
    text: view?.text ?? "",
    attachments: view?.attachments ?? [],
  };
}

export function toItem(entry: OutboxEntry): OutboxItem {
  const state: OutboxState = entry.state === "accepted" ? "sending" : entry.state;
  return {
    id: entry.id,
    subject: entry.subject,
    to: entry.envelope.to,
    state,
    dueAt: new Date(entry.dueAt).toISOString(),
    createdAt: new Date(entry.createdAt).toISOString(),
    attempts: entry.attempts,
    lastError: entry.lastError,
  };
}
