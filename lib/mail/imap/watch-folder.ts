import "server-only";
import type { ImapFlow } from "imapflow";
import type { ArrivedMessage, FolderCounts, MessageFlags } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { createImapClient } from "./connect";
import { openWatchConnection } from "./pool";
import { atom, onUnsolicited, runRawCommand, type RawAttribute } from "./raw-command";
import { toAddresses, toFlags } from "./to-domain";
import { fetchRows } from "./fetch-rows";

/** What a watch reports, in domain terms; the caller turns them into events. */
export interface FolderWatchHandlers {
  onNewMessages: (folder: string, uidValidity: string, messages: ArrivedMessage[]) => void;
  onFlags: (folder: string, uidValidity: string, uid: number, flags: MessageFlags) => void;
  /** `uids` null: the server named sequence numbers only (no QRESYNC). */
  onExpunge: (folder: string, uidValidity: string, uids: number[] | null) => void;
  /** Something changed that cannot be named more precisely (a flag change without a UID). */
  onChanged: (folder: string) => void;
  onCounts: (folders: FolderCounts[]) => void;
  /** The connection ended without `close()`: server restart, network drop, logout by the server. */
  onLost: () => void;
  /** The session whose password opened it signed out: its connection was closed, not lost. */
  onSignedOut: (sessionKey: string) => void;
}

export interface FolderWatch {
  uidValidity: string;
  /** The next UID the server will assign: where a watch that restarts picks up (see `since`). */
  uidNext: () => number;
  close: () => Promise<void>;
}

export interface WatchOptions {
  /** LIST-STATUS of every folder this often (ms), on the same connection; 0 for never. */
  countsEveryMs: number;
  /**
   * Where a previous watch of the folder stopped: messages that arrived while nobody watched (the
   * server restarted, the network dropped) are reported as new, once.
   */
  since?: { uidValidity: string; uidNext: number } | null;
}

/** A new message report is capped: after a long gap, the list's refetch shows the rest. */
const MAX_REPORTED = 50;

/** Unsolicited STATUS responses within this long are answered by one LIST-STATUS. */
const NOTIFY_COALESCE_MS = 250;

/**
 * Watches `path` with IMAP IDLE (RFC 2177) on a connection of its own: imapflow keeps the selected
 * folder in IDLE and reports EXISTS, EXPUNGE / VANISHED and FETCH FLAGS as they come. One
 * connection per login, whatever the number of folders: other folders' counts come from one
 * LIST-STATUS (RFC 5819) every `countsEveryMs` on this connection, which also breaks and restarts
 * IDLE, so the server never sees a silent link for long. Where the server offers NOTIFY (RFC 5465)
 * it also tells, while the connection idles, when a message arrives in, leaves or changes flags in
 * any other personal folder; each burst of those is answered at once by the same LIST-STATUS, so
 * other folders' counts follow within a second instead of a minute.
 */
export async function watchFolder(account: MailAccount, path: string, handlers: FolderWatchHandlers, options: WatchOptions): Promise<FolderWatch> {
  const client = await openWatchConnection(
    account,
    () => createImapClient(account.login, account.password, { watch: true }),
    () => handlers.onSignedOut(account.key),
  );
  let closing = false;
  let timer: NodeJS.Timeout | null = null;
  client.on("error", (error: { code?: string }) => {
    // Never the error object: imapflow may attach the command that failed.
    if (!closing) console.warn(`[letterbox] IMAP watch connection error (${error?.code ?? "unknown"})`);
  });

  try {
    // Asked before SELECT, while the connection is not yet idling: imapflow's raw door does not
    // break IDLE, and NOTIFY's SELECTED applies to the folder selected next (RFC 5465 §3).
    const notifying = client.capabilities.has("NOTIFY") && (await startNotify(client));
    const mailbox = await client.mailboxOpen(path);
    const uidValidity = mailbox.uidValidity.toString();
    let uidNext = Number(mailbox.uidNext);

    // Commands run one at a time and never from inside imapflow's event callbacks (which run while
    // it is still reading the server's response).
    let chain: Promise<void> = Promise.resolve();
    const queue = (work: () => Promise<void>) => {
      chain = chain.then(work).catch((error: { code?: string }) => {
        if (!closing && client.usable) console.warn(`[letterbox] IMAP watch command failed (${error?.code ?? "unknown"})`);
      });
    };

    const since = options.since;
    if (since && since.uidValidity === uidValidity && since.uidNext < uidNext) {
      const from = since.uidNext;
      queue(async () => {
        const arrived = (await fetchArrived(client, from)).filter((m) => m.uid >= from);
        if (arrived.length > 0) handlers.onNewMessages(path, uidValidity, arrived.slice(-MAX_REPORTED));
      });
    } else if (since && since.uidValidity !== uidValidity) {
      // The folder was rebuilt (RFC 3501 §2.3.1.1): every UID the browser holds is stale.
      handlers.onChanged(path);
    }

    client.on("exists", (event: { path: string; count: number; prevCount: number }) => {
      if (event.path !== path || event.count <= event.prevCount) return;
      // EXISTS says how many, not which: ask for everything from the first UID not yet reported
      // (read when the fetch runs, so two EXISTS in a row never report a message twice).
      queue(async () => {
        const from = uidNext;
        const arrived = (await fetchArrived(client, from)).filter((m) => m.uid >= from);
        if (arrived.length === 0) return;
        uidNext = Math.max(uidNext, ...arrived.map((m) => m.uid + 1));
        handlers.onNewMessages(path, uidValidity, arrived.slice(-MAX_REPORTED));
      });
    });

    // Expunges come one response each; a move of 500 messages is one event, not 500.
    let expunged: number[] | null = [];
    let flushScheduled = false;
    client.on("expunge", (event: { path: string; uid?: number; seq?: number; earlier?: boolean }) => {
      if (event.path !== path || event.earlier) return;
      if (expunged && typeof event.uid === "number") expunged.push(event.uid);
      else expunged = null;
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        const uids = expunged;
        expunged = [];
        handlers.onExpunge(path, uidValidity, uids);
      });
    });

    client.on("flags", (event: { path: string; uid?: number; flags?: Set<string> }) => {
      if (event.path !== path) return;
      if (typeof event.uid === "number" && event.flags) handlers.onFlags(path, uidValidity, event.uid, toFlags(event.flags));
      else handlers.onChanged(path);
    });

    client.on("close", () => {
      if (timer) clearInterval(timer);
      if (!closing) handlers.onLost();
    });

    const readCounts = async () => {
      const entries = await client.list({ statusQuery: { messages: true, unseen: true } });
      handlers.onCounts(
        entries.filter((e) => e.status).map((e) => ({ path: e.path, total: e.status?.messages ?? 0, unread: e.status?.unseen ?? 0 })),
      );
    };
    if (options.countsEveryMs > 0) {
      timer = setInterval(() => queue(readCounts), options.countsEveryMs);
      timer.unref();
    }
    if (notifying) {
      // The STATUS a NOTIFY event carries names the folder in modified UTF-7 and holds only what
      // changed (a flag change: UNSEEN alone), so it is a cue to read the counts, not the counts.
      let cued = false;
      onUnsolicited(client, "STATUS", () => {
        if (cued || closing) return;
        cued = true;
        setTimeout(() => {
          cued = false;
          queue(readCounts);
        }, NOTIFY_COALESCE_MS).unref();
      });
      // The counts a cue is compared with (lib/mail/live publishes only what changed), and after a
      // reconnect whatever changed while nobody watched.
      queue(readCounts);
    }

    return {
      uidValidity,
      uidNext: () => uidNext,
      close: async () => {
        closing = true;
        if (timer) clearInterval(timer);
        await client.logout().catch(() => client.close());
      },
    };
  } catch (error) {
    closing = true;
    if (timer) clearInterval(timer);
    client.close();
    throw error;
  }
}

/**
 * NOTIFY SET (RFC 5465): the selected folder keeps the events IDLE gives (§5: EXISTS, EXPUNGE or
 * VANISHED, FETCH FLAGS); every other personal folder sends STATUS when a message arrives, leaves or
 * changes flags (§5.2–5.4). False when the server refuses it: the counts then come every
 * `countsEveryMs` alone.
 */
async function startNotify(client: ImapFlow): Promise<boolean> {
  const events: RawAttribute[] = [atom("MessageNew"), atom("MessageExpunge"), atom("FlagChange")];
  try {
    await runRawCommand(client, "NOTIFY", [atom("SET"), [atom("SELECTED"), events], [atom("PERSONAL"), events]], {});
    return true;
  } catch (error) {
    if (client.usable) console.warn(`[letterbox] IMAP NOTIFY refused (${(error as { code?: string })?.code ?? "unknown"})`);
    return false;
  }
}

/** UID FETCH first:* of what a notification needs. */
async function fetchArrived(client: ImapFlow, firstUid: number): Promise<ArrivedMessage[]> {
  const out: ArrivedMessage[] = [];
  for (const m of await fetchRows(client, `${Math.max(1, firstUid)}:*`, { uid: true, envelope: true, flags: true }, { uid: true })) {
    out.push({
      uid: m.uid,
      from: toAddresses(m.envelope?.from)[0] ?? null,
      subject: m.envelope?.subject ?? "",
      seen: m.flags?.has("\\Seen") ?? false,
    });
  }
  return out.sort((a, b) => a.uid - b.uid);
}
