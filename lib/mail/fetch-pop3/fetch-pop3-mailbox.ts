import "server-only";
import { randomUUID } from "node:crypto";
import { isAppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";
import { appendToFolder } from "@/lib/mail/imap/append-to-folder";
import { ensureFolder } from "@/lib/mail/imap/ensure-folder";
import { hasMessageWithHeader } from "@/lib/mail/imap/find-message-by-header";
import { hasMessageWithId } from "@/lib/mail/imap/find-message-by-id";
import { readAppendLimit } from "@/lib/mail/imap/read-append-limit";
import { readArrivalHeaders } from "@/lib/mail/mime";
import { connectPop3, type Pop3Session } from "@/lib/mail/pop3";
import { describeFetchProblem } from "./describe-fetch-problem";
import { FetchLedger, type LedgerEntry } from "./fetch-ledger";
import { RECOVERY_HEADER, recoveryMarker, withRecoveryMarker } from "./recovery-marker";
import type { FetchKv, FetchLeases, FetchMode, FetchReport, Pop3Source } from "./types";

// One message is held whole between RETR and APPEND (imapflow's append() takes a Buffer): this
// bounds that memory when the IMAP server names no smaller APPENDLIMIT.
export const DEFAULT_MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
// The lease outlives a stalled run by this much; a live run renews it between messages.
const LEASE_TTL_MS = 5 * 60_000;
const LEASE_RENEW_MS = 60_000;

export interface FetchPop3Options {
  /** The POP3 account's id: its ledger of fetched messages is kept under it. */
  accountId: string;
  source: Pop3Source;
  mode: FetchMode;
  /** The user's IMAP mailbox and the folder the messages go to (created when missing). */
  destination: { account: MailAccount; folder: string };
  kv: FetchKv;
  /**
   * The store's leases: a run holds `pop3-fetch:<accountId>` so that a scheduled run and "Check now",
   * on this instance or another, never fetch the same account at once (two runs could both see a
   * message as new and file it twice).
   */
  leases: FetchLeases;
  /** Largest message fetched, besides the IMAP server's own APPENDLIMIT (RFC 7889). */
  maxMessageBytes?: number;
  timeoutMs?: number;
  /**
   * The worker's shutdown signal: checked between messages, so a deploy stops a run at a message
   * boundary (the session dropped without QUIT: nothing deleted, everything appended recorded).
   */
  signal?: AbortSignal;
}

/**
 * Fetches a POP3 mailbox into an IMAP folder, one message at a time, so memory holds one message
 * at most, whatever the mailbox holds.
 *
 * What makes it safe to stop anywhere (crash, dropped connection, timeout):
 * - A message is remembered by its unique-id (UIDL), never its number, which changes between
 *   sessions (RFC 1939 §7). "appending" is written before APPEND and "appended" only after the IMAP
 *   server confirmed it; a message found "appended" is never appended again.
 * - A message found "appending" (the run stopped between APPEND and its record) is looked up in the
 *   folder before it is appended, so it is neither lost nor filed twice: by Message-ID and size, or,
 *   for a message without a Message-ID, by the X-Letterbox-Pop3-UIDL header it was given before
 *   APPEND (recovery-marker.ts) and size.
 * - Download-and-delete marks DELE only after the record says "appended", and QUITs only at the
 *   end: the deletions take effect in the UPDATE state (RFC 1939 §6), so a session that breaks
 *   deletes nothing, and the next run deletes what is recorded, without appending it again.
 *
 * Runs of one account never overlap: each holds the account's lease, and a run that finds it taken
 * reports BUSY without touching anything. Never throws for a POP3 or IMAP failure: the report says what was done and what stopped it.
 */
export async function fetchPop3Mailbox(options: FetchPop3Options): Promise<FetchReport> {
  const started = Date.now();
  const { source, mode, kv } = options;
  const { account, folder } = options.destination;
  const report: FetchReport = { fetched: 0, alreadyFetched: 0, deleted: 0, tooLarge: [], onServer: 0, durationMs: 0, problem: null };
  const ledger = new FetchLedger(kv, options.accountId, source);
  const lease = `pop3-fetch:${options.accountId}`;
  const holder = randomUUID();
  if (!(await options.leases.acquire(lease, holder, LEASE_TTL_MS))) {
    report.problem = { code: "BUSY", message: "A fetch of this POP3 account is already running." };
    report.durationMs = Date.now() - started;
    return report;
  }
  let renewedAt = Date.now();
  // Between messages: a run that lost its lease (stalled past its expiry) stops before touching more.
  const keepLease = async () => {
    if (Date.now() - renewedAt < LEASE_RENEW_MS) return;
    if (!(await options.leases.renew(lease, holder, LEASE_TTL_MS))) throw new LeaseLostError();
    renewedAt = Date.now();
  };
  let session: Pop3Session | null = null;
  const marked: string[] = [];
  try {
    const appendLimit = await readAppendLimit(account);
    const limit = Math.min(appendLimit ?? Infinity, options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    await ensureFolder(account, folder);

    session = await connectPop3({ ...source, timeoutMs: options.timeoutMs });
    const ids = await session.listUniqueIds();
    const sizes = new Map((await session.listSizes()).map((s) => [s.number, s.size]));
    report.onServer = ids.length;

    for (const { number, uid } of ids) {
      if (options.signal?.aborted) throw new StoppedError();
      await keepLease();
      const size = sizes.get(number) ?? 0;
      const entry = await ledger.get(uid);
      // A run that stopped between APPEND and its record: the folder says whether APPEND happened.
      const appendedBefore =
        entry?.state === "appended" || (entry?.state === "appending" && entry.folder === folder && (await inFolder(account, folder, entry)));
      if (entry && appendedBefore) {
        if (entry.state === "appending") await ledger.write(uid, { ...entry, state: "appended" });
        report.alreadyFetched += 1;
        if (mode === "delete") {
          await session.markDeleted(number);
          marked.push(uid);
        } else {
          await ledger.touch(uid, entry);
        }
        continue;
      }

      // RFC 1939 LIST gives the size before anything is downloaded: a message the IMAP server
      // would refuse stays on the POP3 server, named in the report.
      if (size > limit) {
        const headers = await session.retrieveHeaders(number);
        report.tooLarge.push({ uid, size, subject: headers ? readArrivalHeaders(headers).subject : null });
        continue;
      }

      const served = await session.retrieve(number, { expectedSize: size, maxBytes: limit });
      const { date, messageId } = readArrivalHeaders(served);
      // Without a Message-ID nothing in the message tells it from another: it is marked, so that a
      // stop between APPEND and "appended" can be told from a stop before APPEND.
      const marker = messageId === null ? recoveryMarker(ledger.mailboxKey, uid) : null;
      const raw = marker === null ? served : withRecoveryMarker(served, marker);

      await ledger.write(uid, { state: "appending", messageId, marker, size: raw.length, folder });
      try {
        // Unread (no \Seen), dated by its Date header or else now (RFC 3501 INTERNALDATE).
        await appendToFolder(account, folder, raw, { flags: [], internalDate: date ?? new Date() });
      } catch (error) {
        if (isAppError(error) && error.code === "MESSAGE_TOO_LARGE") {
          await ledger.forget(uid);
          report.tooLarge.push({ uid, size, subject: readArrivalHeaders(raw).subject });
          continue;
        }
        throw error;
      }
      report.fetched += 1;
      await ledger.write(uid, { state: "appended", messageId, marker, size: raw.length, folder });
      if (mode === "delete") {
        await session.markDeleted(number);
        marked.push(uid);
      }
    }

    // QUIT commits the DELEs (RFC 1939 §6 UPDATE state). Only now are they gone from the server.
    await session.quit();
    session = null;
    report.deleted = marked.length;
    // Gone from the server, so their unique-ids can never come back (RFC 1939 §7): the ledger
    // forgets them, and the store holds only what is still on the server.
    for (const uid of marked) await ledger.forget(uid);
  } catch (error) {
    // Dropped without QUIT: nothing marked is deleted, and every appended message is recorded.
    session?.close();
    report.problem =
      error instanceof LeaseLostError
        ? { code: "BUSY", message: "The fetch took too long and another run took over; it will go on from here." }
        : error instanceof StoppedError
          ? { code: "STOPPED", message: "The fetch was stopped (the server is restarting); it will go on from here." }
          : describeFetchProblem(error);
  } finally {
    await options.leases.release(lease, holder).catch(() => undefined);
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** Whether the folder holds the message an "appending" entry describes (the run stopped after APPEND). */
async function inFolder(account: MailAccount, folder: string, entry: LedgerEntry): Promise<boolean> {
  if (entry.marker) return hasMessageWithHeader(account, folder, RECOVERY_HEADER, entry.marker, entry.size);
  if (entry.messageId) return hasMessageWithId(account, folder, entry.messageId, entry.size);
  // Written before markers existed, for a message without a Message-ID: nothing to look it up by.
  return false;
}

class LeaseLostError extends Error {}
class StoppedError extends Error {}
