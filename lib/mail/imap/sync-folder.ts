import "server-only";
import type { ImapFlow, MailboxObject } from "imapflow";
import type { ConversationSource } from "@/lib/mail/cache/cached-conversations";
import type { FolderChanges } from "@/lib/mail/cache/cached-list";
import type { CachedRow, FolderToken, UidRange } from "@/lib/mail/cache/folder-cache";
import { AppError } from "@/lib/errors";
import type { MessageFlags, MessageSortKey, MessageSummary } from "@/lib/mail/types";
import { fetchPreviews, previewForm } from "./fetch-previews";
import { fetchHeaders, summarize } from "./fetch-headers";
import { lockMailbox } from "./pool";
import { atom, runRawCommand, sequence, tokenValue, unselectMailbox, type RawAttribute } from "./raw-command";
import { sortSupport, sortUids, type SortableKey } from "./sort-uids";
import { toFlags } from "./to-domain";
import { fetchRows } from "./fetch-rows";

/**
 * The IMAP side of the list cache (lib/mail/cache/cached-list.ts) on one pooled connection: STATUS
 * for the folder's state without selecting it, and — only when the cache needs them — SELECT, the
 * whole order (SORT/ESORT, or SEARCH ALL for arrival order), the order of a few UIDs (SORT over a
 * UID set), flags changed since a MODSEQ (CHANGEDSINCE, RFC 7162 §3.1.4) with the UIDs expunged
 * since (VANISHED, RFC 7162 §3.2.6, where QRESYNC is enabled), and the rows of given UIDs
 * (header-first, as the direct list).
 */
export interface OpenedFolderSource extends ConversationSource {
  /** Releases the folder's mailbox lock if it was taken. */
  release(): void;
  /**
   * What this source asked the server, by method (each call is one command, except `rows`: a
   * FETCH and its PREVIEW), and `sortedUids`, how many UIDs the SORTs over UID sets named: the
   * proof, for tests, that a sync did not read the whole folder.
   */
  readonly asked: Record<"status" | "order" | "sortSome" | "sortedUids" | "changedFlags" | "changesSince" | "flags" | "rows", number>;
}

/** Raised when the folder's UIDVALIDITY changed between STATUS and SELECT: the caller starts again. */
export class FolderReplacedError extends Error {}

/** The threaded view's pieces (list-conversations.ts), passed in so this module does not import its user. */
export interface ThreadingOf {
  threads(exists: number): Promise<number[][] | null>;
  /** The newest `count` conversations without threading the whole folder (thread-newest.ts), or null. */
  newestThreads?(exists: number, count: number): Promise<number[][] | null>;
  conversationRows(uidValidity: string, threads: number[][]): Promise<MessageSummary[]>;
}

interface Selected {
  /** The connection the folder is selected on: this source's own, or one lent to it. */
  client: ImapFlow;
  mailbox: MailboxObject;
  release: () => void;
}

/**
 * `lend`: another idle connection of the session that has the folder selected (pool.ts,
 * lendSelected), for the commands that need it selected. STATUS is asked here, on a connection
 * that has not (it must not answer from a view, see status() below); when it finds a change, the
 * folder would otherwise be selected here too, and on Dovecot with maildir a SELECT of 100,000
 * messages takes 60–120 ms after a change, while the view already open elsewhere is brought up to
 * date by a NOOP in a few. That view is used only when its UIDVALIDITY is the one STATUS just
 * gave, so it is of the same folder (RFC 3501 §2.3.1.1: a folder created again gets a new one).
 * Not for the threaded view, whose THREAD and FETCH run on the connection the source was given.
 */
export function openFolderSource(
  client: ImapFlow,
  path: string,
  threading?: ThreadingOf,
  lend?: () => { client: ImapFlow; release: () => void } | null,
): OpenedFolderSource {
  let selected: Promise<Selected> | null = null;
  let expectedUidValidity: string | null = null;

  const selectOnce = async (): Promise<Selected> => {
    const lent = !threading && expectedUidValidity !== null ? lend?.() : null;
    if (lent) {
      try {
        const held = await lockMailbox(lent.client, path);
        if (held.mailbox.uidValidity.toString() === expectedUidValidity) {
          return { client: lent.client, mailbox: held.mailbox, release: () => (held.release(), lent.release()) };
        }
        held.release();
      } catch {
        // Whatever went wrong there (the connection dropped, the folder is gone), the folder is
        // selected on this source's own connection below, which says so if it is true.
      }
      lent.release();
    }
    return { client, ...(await lockMailbox(client, path)) };
  };

  const select = async (): Promise<Selected> => {
    selected ??= selectOnce();
    const chosen = await selected;
    if (expectedUidValidity !== null && chosen.mailbox.uidValidity.toString() !== expectedUidValidity) throw new FolderReplacedError();
    return chosen;
  };

  const flagsOf = async (on: ImapFlow, range: string, changedSince?: bigint): Promise<Map<number, MessageFlags>> => {
    const out = new Map<number, MessageFlags>();
    for (const message of await fetchRows(on, range, { uid: true, flags: true }, { uid: true, changedSince })) {
      out.set(message.uid, toFlags(message.flags));
    }
    return out;
  };

  const support = sortSupport(client.capabilities);
  const asked = { status: 0, order: 0, sortSome: 0, sortedUids: 0, changedFlags: 0, changesSince: 0, flags: 0, rows: 0 };
  return {
    asked,
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
      asked.status++;
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
      const { client: on, mailbox } = await select();
      if (mailbox.exists === 0) return [];
      asked.order++;
      if (key !== "arrival" && sortSupport(on.capabilities).sort) return sortUids(on, { key, exists: mailbox.exists });
      return [...((await on.search({ all: true }, { uid: true })) || [])].sort((a, b) => a - b);
    },

    async sortSome(key: SortableKey, uids: readonly number[]): Promise<number[]> {
      if (uids.length === 0) return [];
      const { client: on } = await select();
      asked.sortSome++;
      asked.sortedUids += uids.length;
      return sortUids(on, { key, exists: uids.length, uids });
    },

    async changedFlags(modseq: string) {
      const { client: on, mailbox } = await select();
      // Without CONDSTORE enabled imapflow would drop CHANGEDSINCE and fetch every message's flags.
      if (!on.enabled.has("CONDSTORE") || mailbox.noModseq) return null;
      asked.changedFlags++;
      return flagsOf(on, "1:*", BigInt(modseq));
    },

    async changesSince(modseq: string): Promise<FolderChanges | null> {
      const { client: on, mailbox } = await select();
      // VANISHED may only be asked for once QRESYNC is enabled (RFC 7162 §3.2.6); the modseq is the
      // cache's own, checked anyway since it goes on the wire as an atom.
      if (!on.enabled.has("QRESYNC") || mailbox.noModseq || !/^\d{1,20}$/.test(modseq)) return null;
      asked.changesSince++;
      return fetchChangesSince(on, modseq);
    },

    async flags(uids: number[]) {
      if (uids.length === 0) return new Map();
      const { client: on } = await select();
      asked.flags++;
      return flagsOf(on, uids.join(","));
    },

    async rows(uids: number[]): Promise<CachedRow[]> {
      if (uids.length === 0) return [];
      const { client: on } = await select();
      asked.rows++;
      const fetched = await fetchHeaders(on, uids.join(","), true);
      const previews = await fetchPreviews(
        on,
        fetched.map((m) => m.uid),
      );
      return fetched.map((m) => summarize(m, previews));
    },

    async threads() {
      if (!threading) return null;
      const { mailbox } = await select();
      return threading.threads(mailbox.exists);
    },

    async newestThreads(count: number) {
      if (!threading?.newestThreads) return null;
      const { mailbox } = await select();
      return threading.newestThreads(mailbox.exists, count);
    },

    async conversationRows(threads: number[][]) {
      if (!threading || threads.length === 0) return [];
      const { mailbox } = await select();
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

/**
 * `UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE <modseq> VANISHED)` (RFC 7162 §3.1.4, §3.2.6): the
 * flags of every message changed or added since `modseq`, and the UIDs expunged since, which the
 * server sends as `VANISHED (EARLIER) <set>` before the FETCH lines. Sent raw rather than through
 * imapflow's fetch(), which hands VANISHED to the connection's 'expunge' event one UID at a time:
 * here the set stays ranges, however large the server writes it.
 */
async function fetchChangesSince(client: ImapFlow, modseq: string): Promise<FolderChanges> {
  const flags = new Map<number, MessageFlags>();
  const vanished: UidRange[] = [];
  await runRawCommand(client, "UID FETCH", [sequence("1:*"), [atom("UID"), atom("FLAGS")], [atom("CHANGEDSINCE"), atom(modseq), atom("VANISHED")]], {
    FETCH: (response) => {
      // "* 12 FETCH (UID 40 FLAGS (\Seen) MODSEQ (7))": the first attribute is the keyword, the second the list.
      const list = response.attributes?.[1];
      if (!Array.isArray(list)) return;
      let uid = 0;
      let names: Set<string> | null = null;
      for (let i = 0; i + 1 < list.length; i += 2) {
        const name = tokenValue(list[i])?.toUpperCase();
        const value = list[i + 1];
        if (name === "UID") uid = Number(tokenValue(value));
        else if (name === "FLAGS" && Array.isArray(value)) names = new Set(value.map((flag: RawAttribute) => tokenValue(flag) ?? ""));
      }
      if (Number.isSafeInteger(uid) && uid > 0 && names) flags.set(uid, toFlags(names));
    },
    VANISHED: (response) => {
      // "* VANISHED (EARLIER) 3:5,9": only the EARLIER form answers this command (RFC 7162 §3.2.10).
      const attributes = response.attributes ?? [];
      if (!Array.isArray(attributes[0]) || tokenValue(attributes[0][0])?.toUpperCase() !== "EARLIER") return;
      vanished.push(...parseUidRanges(tokenValue(attributes[1]) ?? ""));
    },
  });
  return { flags, vanished: mergeRanges(vanished) };
}

/** An IMAP UID set ("3:5,9,12:10") as inclusive ranges, never expanded; malformed parts skipped. */
export function parseUidRanges(set: string): UidRange[] {
  const out: UidRange[] = [];
  for (const part of set.split(",")) {
    const [a, b] = part.split(":");
    const first = Number(a);
    const last = b === undefined ? first : Number(b);
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 1 || last < 1) continue;
    out.push([Math.min(first, last), Math.max(first, last)]);
  }
  return out;
}

/** Ranges sorted and joined where they overlap or touch, as folder-cache.ts's inRanges expects. */
export function mergeRanges(ranges: readonly UidRange[]): UidRange[] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [low, high] of sorted) {
    const last = out[out.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else out.push([low, high]);
  }
  return out;
}
