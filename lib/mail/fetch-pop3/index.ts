import "server-only";

// Fetching POP3 mailboxes into IMAP folders (issue 12): the use cases; the protocol is lib/mail/pop3.
export { fetchPop3Mailbox, DEFAULT_MAX_MESSAGE_BYTES, type FetchPop3Options } from "./fetch-pop3-mailbox";
export { testPop3Login } from "./test-pop3-login";
export type { FetchKv, FetchLeases, FetchMode, FetchProblem, FetchReport, Pop3Source } from "./types";
export { addPop3Account, listPop3Accounts, removePop3Account, updatePop3Account } from "./manage-pop3-accounts";
export { runPop3Account } from "./run-pop3-account";
export { testPop3Account } from "./test-pop3-account";
