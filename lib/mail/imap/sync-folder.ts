import "server-only";
import type { ImapFlow, MailboxObject } from "imapflow";
import type { ConversationSource } from "@/lib/mail/cache/cached-conversations";
import type { CachedRow, FolderToken } from "@/lib/mail/cache/folder-cache";
import { AppError } from "@/lib/errors";
import type { MessageFlags, MessageSortKey, MessageSummary } from "@/lib/mail/types";
import { fetchPreviews, previewForm } from "./fetch-previews";
import { fetchHeaders, summarize } from "./fetch-headers";
import { lockMailbox } from "./pool";
import { unselectMailbox } from "./raw-command";
import { sortSupport, sortUids } from "./sort-uids";
import { toFlags } from "./to-domain";

/**
 * The IMAP side of the list cache (lib/mail/cache/cached-list.ts) on one pooled connection: STATUS
 * for the folder's state without selecting it, and — only when the cache needs them — SELECT, the
 * whole order (SORT/ESORT, or SEARCH ALL for arrival order), flags changed since a MODSEQ
 * (CHANGEDSINCE, RFC 7162 §3.1.4), and the rows of given UIDs (header-first, as the direct list).
 */
export interface OpenedFolderSource extends ConversationSource {
  /** Releases the folder's mailbox lock if it was taken. */
  release(): void;
}

/** Raised when the folder's UIDVALIDITY changed between STATUS and SELECT: the caller starts again. */
export class FolderReplacedError extends Error {}

/** The threaded view's pieces (list-conversations.ts), passed in so this module does not import its user. */
export interface ThreadingOf {
  threads(exists: number): Promise<number[][] | null>;
  conversationRows(uidValidity: string, threads: number[][]): Promise<MessageSummary[]>;
}

export function openFolderSource(client: ImapFlow, path: string, threading?: ThreadingOf): OpenedFolderSource {
  let selected: Promise<{ mailbox: MailboxObject; release: () => void }> | null = null;
  let expectedUidValidity: string | null = null;

  const select = async (): Promise<MailboxObject> => {
    selected ??= lockMailbox(client, path);
    const { mailbox } = await selected;
    if (expectedUidValidity !== null && mailbox.uidValidity.toString() !== expectedUidValidity) throw new FolderReplacedError();
    return mailbox;
  };

  const flagsOf = async (range: string, changedSince?: bigint): Promise<Map<number, MessageFlags>> => {
    const out = new Map<number, MessageFlags>();
    // Collect first: a command issued inside this loop would deadlock the connection.
    for await (const message of client.fetch(range, { uid: true, flags: true }, { uid: true, changedSince })) {
      out.set(message.uid, toFlags(message.flags));
    }
    return out;
  };

  const support = sortSupport(client.capabilities);
  return {
    canSort: support.sort,
    // CONDSTORE is part of it: rows cached without it had their flags checked page by page, which a
    // cache trusted on HIGHESTMODSEQ alone must not inherit.
    profile: [
      support.sort ? "sort" : "arrival",
      support.display ? "displayfrom" : "from",
      previewForm(client.capabilities) ?? "no-preview",
      client.enabled.has("CONDSTORE") ? "condstore" : "no-condstore",
    ].join(","),

    async status(): Promise<FolderToken> {
      const condstore = client.enabled.has("CONDSTORE");
      // Dovecot answers STATUS of the folder a connection has selected from that session's view
      // (RFC 3501 §6.3.10 warns against STATUS on the selected folder), and a view can outlive the
      // folder itself: deleted and recreated elsewhere, it still shows the old UIDVALIDITY and
      // messages. So the folder is deselected first (UNSELECT, under the mailbox lock so no other
      // caller of this connection is in it); the next SELECT then opens the folder as it is now.
      if (client.mailbox && client.mailbox.path === path) {
        const lock = await client.getMailboxLock(path);
        try {
          if (client.mailbox && client.mailbox.path === path && !(await unselectMailbox(client))) await client.noop();
        } finally {
          lock.release();
        }
      }
      // STATUS needs no SELECT (RFC 3501 §6.3.10); with CONDSTORE it also tells HIGHESTMODSEQ (RFC 7162 §3.1.6).
      const status = await client.status(path, { uidValidity: true, uidNext: true, messages: true, highestModseq: condstore });
      if (!status || status.uidValidity === undefined || status.uidNext === undefined || status.messages === undefined) {
        throw new AppError("FOLDER_NOT_FOUND");
      }
      expectedUidValidity = status.uidValidity.toString();
      return {
        uidValidity: expectedUidValidity,
        uidNext: status.uidNext,
        messages: status.messages,
        highestModseq: condstore && status.highestModseq !== undefined ? status.highestModseq.toString() : null,
      };
    },

    async order(key: MessageSortKey): Promise<number[]> {
      const mailbox = await select();
      if (mailbox.exists === 0) return [];
      if (key !== "arrival" && sortSupport(client.capabilities).sort) return sortUids(client, { key, exists: mailbox.exists });
      return [...((await client.search({ all: true }, { uid: true })) || [])].sort((a, b) => a - b);
    },

    async changedFlags(modseq: string) {
      const mailbox = await select();
      // Without CONDSTORE enabled imapflow would drop CHANGEDSINCE and fetch every message's flags.
      if (!client.enabled.has("CONDSTORE") || mailbox.noModseq) return null;
      return flagsOf("1:*", BigInt(modseq));
    },

    async flags(uids: number[]) {
      if (uids.length === 0) return new Map();
      await select();
      return flagsOf(uids.join(","));
    },

    async rows(uids: number[]): Promise<CachedRow[]> {
      if (uids.length === 0) return [];
      await select();
      const fetched = await fetchHeaders(client, uids.join(","), true);
      const previews = await fetchPreviews(
        client,
        fetched.map((m) => m.uid),
      );
      return fetched.map((m) => summarize(m, previews));
    },

    async threads() {
      if (!threading) return null;
      const mailbox = await select();
      return threading.threads(mailbox.exists);
    },

    async conversationRows(threads: number[][]) {
      if (!threading || threads.length === 0) return [];
      const mailbox = await select();
      return threading.conversationRows(mailbox.uidValidity.toString(), threads);
    },

    release() {
      void selected?.then(
        (s) => s.release(),
        () => undefined,
      );
    },
  };
}
