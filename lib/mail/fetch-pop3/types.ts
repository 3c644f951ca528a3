import "server-only";
import type { Pop3Security } from "@/lib/mail/pop3";
import type { KvStore, LeaseStore } from "@/lib/store";

/** Where to fetch from. The password lives only in server memory (and encrypted in the store). */
export interface Pop3Source {
  host: string;
  port: number;
  security: Pop3Security;
  login: string;
  password: string;
  /** Accept a certificate that does not verify (MAIL_TLS_INSECURE, local development only). */
  tlsInsecure?: boolean;
}

/** "keep": download and leave on the server; "delete": download, then delete from the server. */
export type FetchMode = "keep" | "delete";

/** The slice of the store the fetcher uses: key-value entries with expiry (`store.kv`). */
export type FetchKv = Pick<KvStore, "get" | "set" | "delete">;

/** The store's leases (`store.leases`): one run per account at a time, across instances. */
export type FetchLeases = Pick<LeaseStore, "acquire" | "renew" | "release">;

export interface FetchProblem {
  /**
   * A Pop3ErrorCode, "IMAP_<AppError code>", "BUSY" (another run holds the account), "STOPPED" (the
   * worker shut down), or "UNKNOWN".
   */
  code: string;
  /** Plain words for the account's status line; never a password or a command line. */
  message: string;
}

export interface FetchReport {
  /** Messages appended to the destination folder in this run. */
  fetched: number;
  /** Messages on the server that an earlier run already appended (and, when deleting, now deleted). */
  alreadyFetched: number;
  /** Messages marked DELE and committed by QUIT in this run (delete mode). */
  deleted: number;
  /** Messages left on the server because they are larger than the IMAP server accepts. */
  tooLarge: { uid: string; size: number; subject: string | null }[];
  /** Messages on the server when the run began. */
  onServer: number;
  durationMs: number;
  /** Why the run stopped early, if it did; what was appended before stays recorded. */
  problem: FetchProblem | null;
}
