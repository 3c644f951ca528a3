import "server-only";

/** A signed-in mailbox as the IMAP layer needs it. Lives only in server memory, never logged. */
export interface MailAccount {
  /** The session id: the pool keeps one set of connections per signed-in session. */
  key: string;
  login: string;
  password: string;
}
