// Domain types: what the app knows about mail. Nothing here mentions imapflow or nodemailer;
// lib/mail/imap converts protocol objects into these at its edge.

export interface Address {
  name: string;
  address: string;
}

export type FolderRole = "inbox" | "drafts" | "sent" | "archive" | "junk" | "trash";

export interface Folder {
  /** Full server path, the key for every IMAP operation (already decoded from modified UTF-7). */
  path: string;
  /** Last path segment, for display. */
  name: string;
  delimiter: string;
  parentPath: string | null;
  role: FolderRole | null;
  total: number;
  unread: number;
  subscribed: boolean;
  /** \Noselect folders exist only to hold children. */
  selectable: boolean;
}

export interface MessageFlags {
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
}

/** What a list row needs: never a body. */
export interface MessageSummary {
  uid: number;
  flags: MessageFlags;
  from: Address[];
  to: Address[];
  subject: string;
  /** ISO 8601; the Date header, or the arrival time when the header is missing. */
  date: string;
  size: number;
  hasAttachments: boolean;
  /**
   * The first words of the text body: the server's own (PREVIEW, RFC 8970, or SNIPPET) in the
   * list's answer, or, where the server offers none, made later from the start of the text part
   * (GET /api/messages/snippets, asked by the browser for the rows on screen). null: not known
   * yet; "": the message has no text. Never fetched from bodies for the first page.
   */
  preview: string | null;
  /**
   * Search results only: the folder the message is in and that folder's UIDVALIDITY, so actions
   * and the reader address the right folder (an in:anywhere search mixes folders).
   */
  folder?: string;
  uidValidity?: string;
  /**
   * Set when the row stands for a conversation (the list's conversation view): `uid` is then its
   * newest message in the folder, the flags say "unread if any is, flagged if any is".
   */
  conversation?: ConversationInfo;
}

/**
 * Most rows whose snippets one request asks for (GET /api/messages/snippets): a screenful or two,
 * so a request costs the server a bounded number of small partial fetches.
 */
export const MAX_SNIPPET_UIDS = 60;

/** The reader stacks at most this many messages of one folder (the newest ones) of a conversation. */
export const MAX_CONVERSATION_MEMBERS = 300;

/** A conversation row's members in the folder listed (its replies in Sent are the reader's). */
export interface ConversationInfo {
  /** Opaque and stable: a keyed hash of the conversation's root Message-ID, never the id itself. */
  id: string;
  /** Its messages in this folder, newest first: what an action on the row acts on. */
  uids: number[];
  /** Those of them that are unread. */
  unreadUids: number[];
  /** Senders, oldest first, each once. */
  participants: Address[];
}

/** How a list is ordered: the server's SORT (RFC 5256) where offered, else arrival order only. */
export type MessageSortKey = "date" | "arrival" | "from" | "subject" | "size";
export type SortOrder = "desc" | "asc";

export interface MessagePage {
  folder: string;
  uidValidity: string;
  /** Messages in the folder when the page was read. */
  total: number;
  page: number;
  pageSize: number;
  /** The order the server applied; "arrival" when the server cannot sort by the key asked for. */
  sort: MessageSortKey;
  order: SortOrder;
  messages: MessageSummary[];
  /**
   * The rows are conversations: `total` counts conversations where the server threads (THREAD,
   * RFC 5256), messages where it does not (then each page groups its own messages).
   */
  conversations?: boolean;
  /**
   * `total` is not a count of conversations yet but the folder's message count, an upper bound: the
   * first page of the conversation view was built from the newest messages and their relatives
   * before the whole folder was threaded (lib/mail/imap/thread-newest.ts). Later pages count exactly.
   */
  totalEstimated?: boolean;
  /**
   * Answered from the list's header cache (lib/mail/cache) after the server confirmed nothing
   * changed since it was filled; never a state the server had already contradicted.
   */
  fromCache?: boolean;
}

/** One message of a conversation as the reader stacks it: from the folder listed, or from Sent. */
export interface ConversationMessage extends MessageSummary {
  folder: string;
  uidValidity: string;
}

export interface Conversation {
  id: string;
  subject: string;
  /** Oldest first. */
  messages: ConversationMessage[];
}

export interface Attachment {
  /** IMAP body part number ("2", "1.3"): the key for downloading it. */
  partId: string;
  filename: string;
  contentType: string;
  /** Encoded size on the server, an upper bound of the decoded size. */
  size: number;
  /** Referenced from the HTML body by cid: and shown there rather than listed. */
  inline: boolean;
  contentId: string | null;
}

export interface Message extends Omit<MessageSummary, "preview"> {
  folder: string;
  uidValidity: string;
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  messageId: string | null;
  inReplyTo: string | null;
  /** Sanitized HTML of the body (plain text is converted), remote content blocked unless allowed. */
  html: string;
  /** True when the sanitizer blocked remote images, styles or frames. */
  remoteContentBlocked: boolean;
  attachments: Attachment[];
}

/**
 * A message as the reader gets it (GET /api/messages/[uid]): the body comes as the whole document
 * of its sandboxed frame, with that document's own policy (lib/mail/mime/render-body-document.ts),
 * so that opening a message is one request and a message fetched ahead needs none.
 */
export interface MessageView extends Omit<Message, "html"> {
  bodyDocument: string;
}

// --- Compose and send -------------------------------------------------------------------------

/** An attachment waiting on the server, known to the browser only by the id the server issued. */
export interface UploadedFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface ComposeLimits {
  /** Largest message the SMTP server takes (its SIZE, else configuration), in bytes. */
  maxMessageBytes: number;
  /** Largest file that still fits once base64-encoded. */
  maxUploadBytes: number;
}

export interface MessageRefData {
  folder: string;
  uidValidity: string;
  uid: number;
}

export type ComposeMode = "new" | "reply" | "replyAll" | "forward";

/** What the composer holds: sent, saved as a draft, or restored from one. */
export interface DraftContent {
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
  format: "html" | "text";
  /** HTML in "html" format, plain text in "text" format. */
  body: string;
  attachments: UploadedFile[];
  inReplyTo: string | null;
  references: string[];
  /** The message replied to or forwarded, flagged \Answered or $Forwarded once this is sent. */
  origin: { mode: "reply" | "forward"; ref: MessageRefData } | null;
}

export interface SendResult {
  accepted: string[];
  /** Recipients the server refused, with its reason; the others got the message. */
  rejected: { address: string; reason: string }[];
  /** False when the message went out but the copy could not be filed in Sent. */
  savedToSent: boolean;
  messageId: string;
}

// --- Organizing (issue 4) ---------------------------------------------------------------------

export type MessageAction =
  | { type: "flags"; seen?: boolean; flagged?: boolean }
  | { type: "move"; destination: string }
  | { type: "copy"; destination: string }
  | { type: "archive" }
  | { type: "junk" }
  | { type: "trash" }
  | { type: "deletePermanently" };

/** What a move or copy did: where the messages went and their new UIDs there (RFC 4315 COPYUID). */
export interface MessageActionResult {
  /** The folder the messages went to (moves and copies), else null. */
  destination: string | null;
  destinationUidValidity: string | null;
  /** [source UID, new UID] pairs; empty when the server did not report them (then there is no undo). */
  uidMap: [number, number][];
}

/** Every message of a folder, for "select all in folder": the UIDs, newest first. */
export interface FolderUids {
  folder: string;
  uidValidity: string;
  uids: number[];
}

export interface DeleteFolderResult {
  path: string;
  /** Messages moved to Trash before the folder was deleted (0 when deleted permanently). */
  movedToTrash: number;
}

// --- Settings (issue 10; the outbox and POP3 issues add theirs) ----------------------------------

export type Density = "comfortable" | "compact";
/** After archive, delete or move from the reader: open the newer or the older message, or go back to the list. */
export type AutoAdvance = "newer" | "older" | "list";
export type Theme = "system" | "light" | "dark";

/** Per login, kept server-side (the store), so every browser of the user sees the same. */
export interface UserSettings {
  displayName: string;
  signature: { format: "text" | "html"; body: string };
  density: Density;
  autoAdvance: AutoAdvance;
  theme: Theme;
  /** Seconds a sent message waits in the outbox, during which "Undo" takes it back (issue 9). */
  undoSendSeconds: UndoSendSeconds;
  /** The list groups messages into conversations (issue 11); on by default. */
  conversations: boolean;
}

export const UNDO_SEND_CHOICES = [0, 5, 10, 20, 30] as const;
export type UndoSendSeconds = (typeof UNDO_SEND_CHOICES)[number];

// --- Outbox (issue 9) ----------------------------------------------------------------------------

/**
 * waiting: inside the undo window; scheduled: "Send later"; sending: being handed to the server;
 * retrying: a temporary failure, another try is due at `dueAt`; failed: given up, but the account's
 * mailbox could not be reached to return it to Drafts (Cancel returns it).
 */
export type OutboxState = "waiting" | "scheduled" | "sending" | "retrying" | "failed";

/** One message in the outbox, as the Outbox view shows it (never its bytes). */
export interface OutboxItem {
  id: string;
  subject: string;
  to: string[];
  state: OutboxState;
  /** ISO time of the next try (the end of the undo window, the scheduled time, the next retry). */
  dueAt: string;
  /** ISO time it was queued: for a waiting message, dueAt − createdAt is its undo window. */
  createdAt: string;
  /** Tries made so far. */
  attempts: number;
  /** The last failure in plain words, or null. */
  lastError: string | null;
}

export interface OutboxEnqueueResult {
  item: OutboxItem;
}

/** An outbox message opened in the Outbox view: what it says, without its bytes. */
export interface OutboxMessage extends OutboxItem {
  cc: Address[];
  bcc: Address[];
  /** The recipients as written (names too); `to` of the item is the envelope's addresses. */
  toAddresses: Address[];
  /** The plain-text version of the body (never HTML: shown as text, nothing to sanitize). */
  text: string;
  attachments: { filename: string; size: number }[];
}

/**
 * What became of a message that has left the outbox, kept a day so that a tab which queued it can
 * say so: "sent" (accepted by the server; `refused` names recipients it refused), "returned" (given
 * up, back in Drafts with a "not delivered" report in Inbox) or "cancelled" (Undo / Cancel sending).
 */
export type OutboxOutcome =
  | { kind: "sent"; refused: string[] }
  | { kind: "returned"; reason: string }
  | { kind: "cancelled" };

/** GET /api/outbox/[id]: the message while it waits, or what became of it. */
export type OutboxLookup = { message: OutboxMessage; outcome: null } | { message: null; outcome: OutboxOutcome };

/** Where a cancelled message went back to: a draft the composer can reopen. */
export interface OutboxCancelResult {
  draft: MessageRefData;
}

// --- Live updates (issue 11): what the server pushes to the browser over /api/events -----------

/** A message that just arrived, as much as a notification and the list's first glance need. */
export interface ArrivedMessage {
  uid: number;
  from: Address | null;
  subject: string;
  seen: boolean;
}

/** One folder's counts from the periodic LIST-STATUS. */
export interface FolderCounts {
  path: string;
  total: number;
  unread: number;
}

/**
 * Something changed in the user's mailbox. Each one says "look again" and what to look at: the
 * browser patches or refetches exactly those queries (components/mail/data/live-events.ts). Delivery
 * is at most once, so no event carries state that exists nowhere else.
 */
export type MailEvent =
  | { type: "message-sent"; messageId: string }
  | { type: "folder-changed"; folder: string }
  | { type: "new-mail"; folder: string; uidValidity?: string; messages?: ArrivedMessage[] }
  | { type: "flags-changed"; folder: string; uidValidity: string; uid: number; flags: MessageFlags }
  /** `uids` is null when the server named only sequence numbers (no QRESYNC, RFC 7162). */
  | { type: "expunged"; folder: string; uidValidity: string; uids: number[] | null }
  | { type: "counts"; folders: FolderCounts[] }
  /** The watch was interrupted (server restart, network): whatever the browser holds may be behind. */
  | { type: "resync" };
// --- Search (issue 11) ---------------------------------------------------------------------------

/** One page of search results, newest first; paged like a folder. */
export interface SearchPage extends MessagePage {
  query: string;
  /**
   * "folder": every result is in `folder` (whose UIDVALIDITY is `uidValidity`), so the results act
   * like that folder's list. "anywhere": every selectable folder was searched; each row names its
   * own folder and UIDVALIDITY, and `folder`/`uidValidity` are empty.
   */
  scope: "folder" | "anywhere";
  /** in:anywhere: folders the server could not search (the rest are still shown). */
  failedFolders: string[];
}

/** Every result of a search (for "select all"), newest first, grouped by folder (one group unless in:anywhere). */
export interface SearchUids {
  groups: FolderUids[];
}

// --- First paint (issue 14): what the mail page's HTML carries ------------------------------

/** The list the page shows first, as the client will key it: the folder's rows or its conversations. */
export interface FirstListView {
  kind: "folder" | "conversations";
  folder: string;
  sort: MessageSortKey;
  order: SortOrder;
  pageSize: number;
}

/**
 * What the mail page puts in its HTML so the first rows paint before the client's script has
 * loaded. Each part is exactly what its API route answers (JSON-shaped), or null when it could not
 * be had in time; the client then asks for that part itself and shows its own error.
 */
export interface FirstPaint {
  /** Server time (epoch ms) when the data was read: the client's cache counts its age from here. */
  at: number;
  folders: Folder[] | null;
  settings: UserSettings | null;
  list: (FirstListView & { page: MessagePage }) | null;
}
