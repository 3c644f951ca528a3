import "server-only";
import { createHash } from "node:crypto";
import type { FetchKv, Pop3Source } from "./types";

/**
 * What the fetcher wrote down about each message, by its POP3 unique-id (UIDL, RFC 1939 §7), in the
 * store. "appending" is written before APPEND and "appended" after the server confirmed it, so a
 * run that stopped in between is recognised and checked rather than guessed.
 */
export interface LedgerEntry {
  state: "appending" | "appended";
  /** Message-ID header, to look the copy up after a stop between APPEND and "appended". */
  messageId: string | null;
  /**
   * For a message without a Message-ID: the value of the X-Letterbox-Pop3-UIDL header added to it
   * before APPEND, to look it up by instead. Absent in entries written before it existed.
   */
  marker?: string | null;
  size: number;
  folder: string;
  /** When the entry was last written (ms). */
  at: number;
}

// Entries expire when their message has not been seen on the server for a long time (the user
// deleted it there); every run that sees one refreshes it well before that.
const ENTRY_TTL_MS = 400 * 24 * 3600_000;
const REFRESH_AFTER_MS = 30 * 24 * 3600_000;

export class FetchLedger {
  private readonly prefix: string;
  /** Names the POP3 mailbox (host and login), whose unique-ids this ledger holds. */
  readonly mailboxKey: string;

  constructor(
    private readonly kv: FetchKv,
    accountId: string,
    source: Pick<Pop3Source, "host" | "login">,
  ) {
    // Unique-ids are unique per mailbox only: an account edited to point at another mailbox starts
    // a new ledger instead of skipping that mailbox's messages. The port is left out: the same
    // mailbox over POP3S or STLS (or through a proxy) is the same mailbox.
    this.mailboxKey = createHash("sha256").update(`${source.host.toLowerCase()}\0${source.login}`).digest("hex").slice(0, 16);
    this.prefix = `pop3:fetched:${accountId}:${this.mailboxKey}:`;
  }

  get(uid: string): Promise<LedgerEntry | null> {
    return this.kv.get<LedgerEntry>(this.prefix + uid);
  }

  async write(uid: string, entry: Omit<LedgerEntry, "at">): Promise<void> {
    await this.kv.set<LedgerEntry>(this.prefix + uid, { ...entry, at: Date.now() }, { ttlMs: ENTRY_TTL_MS });
  }

  /** Keeps the entry of a message still on the server from expiring (cheap: at most monthly). */
  async touch(uid: string, entry: LedgerEntry): Promise<void> {
    if (Date.now() - entry.at > REFRESH_AFTER_MS) await this.write(uid, entry);
  }

  forget(uid: string): Promise<void> {
    return this.kv.delete(this.prefix + uid);
  }
}
