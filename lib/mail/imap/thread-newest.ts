import "server-only";
import type { FetchMessageObject, ImapFlow, SearchObject } from "imapflow";
import { messageIds } from "@/lib/mail/conversations/group-messages";
import { atom, sequence } from "./raw-command";
import { threadAlgorithm, threadUids, type ThreadAlgorithm } from "./thread-uids";

/**
 * The newest messages (by arrival) the first page of the conversation view is threaded from. Far
 * more than a page's worth of conversations in any real folder, and still a small fraction of the
 * cost of threading 100,000 (thread-uids.ts has the figures).
 */
export const NEWEST_WINDOW = 500;
/** At most this many Message-IDs are looked up as relatives outside the window (one SEARCH each 25). */
const MAX_RELATIVE_IDS = 200;
const IDS_PER_SEARCH = 25;
/** Candidates beyond this (a server answering HEADER by words may offer many) are not examined. */
const MAX_CANDIDATES = 5000;

/** Message-ID, In-Reply-To and References of each UID, lower-cased: what threading reads. */
async function threadHeaders(client: ImapFlow, uids: number[]): Promise<Map<number, { own: string | null; refs: string[] }>> {
  const out = new Map<number, { own: string | null; refs: string[] }>();
  if (uids.length === 0) return out;
  const fetched: FetchMessageObject[] = [];
  // Collect first: issuing a command inside this loop would deadlock the connection.
  for await (const m of client.fetch(uids.join(","), { uid: true, headers: ["message-id", "in-reply-to", "references"] }, { uid: true })) {
    fetched.push(m);
  }
  for (const m of fetched) {
    // Unfolded (RFC 5322 §2.2.3), then one field per line.
    const lines = (m.headers?.toString("utf8") ?? "").replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/);
    const field = (name: string) => lines.filter((l) => l.toLowerCase().startsWith(`${name}:`)).map((l) => l.slice(name.length + 1));
    const own = messageIds(field("message-id")[0])[0]?.toLowerCase() ?? null;
    const refs = [...field("in-reply-to"), ...field("references")].flatMap((v) => messageIds(v)).map((id) => id.toLowerCase());
    out.set(m.uid, { own, refs });
  }
  return out;
}

/**
 * UIDs below `below` whose Message-ID is one of `ids` or whose In-Reply-To or References names one:
 * the older relatives of the window's conversations. SEARCH HEADER is a substring match (RFC 3501
 * §6.4.4) and Dovecot with fts-xapian answers it by words, so its answers are candidates and their
 * headers decide, compared whole.
 */
async function olderRelatives(client: ImapFlow, ids: string[], below: number): Promise<number[]> {
  if (ids.length === 0 || below <= 1) return [];
  const candidates = new Set<number>();
  for (let i = 0; i < ids.length && candidates.size <= MAX_CANDIDATES; i += IDS_PER_SEARCH) {
    // imapflow's search compiler quotes each value (or sends a literal): an id cannot add keys.
    const or: SearchObject[] = ids
      .slice(i, i + IDS_PER_SEARCH)
      .flatMap((id) => ["message-id", "in-reply-to", "references"].map((name) => ({ header: { [name]: id } })));
    const found = await client.search({ uid: `1:${below - 1}`, or }, { uid: true });
    if (Array.isArray(found)) for (const uid of found) candidates.add(uid);
  }
  const wanted = new Set(ids);
  const headers = await threadHeaders(client, [...candidates].slice(0, MAX_CANDIDATES));
  return [...headers].filter(([, h]) => (h.own !== null && wanted.has(h.own)) || h.refs.some((r) => wanted.has(r))).map(([uid]) => uid);
}

/** REFS lists threads by newest message last; REFERENCES by oldest: put those by newest UID too. */
function inArrivalOrder(algorithm: ThreadAlgorithm, threads: number[][]): number[][] {
  if (algorithm === "REFERENCES") threads.sort((a, b) => Math.max(...a) - Math.max(...b));
  return threads;
}

/**
 * The folder's `count` newest conversations, oldest of them first (the order of folderThreads),
 * without threading the whole folder: the server threads the newest NEWEST_WINDOW messages
 * (`UID THREAD … <sequence range>`), the newest `count` threads are kept, and their older members
 * outside the window are found by the ids their messages name (Message-ID, In-Reply-To,
 * References), then the server threads the kept messages and those relatives again, so a
 * conversation's grouping, count, unread state and newest date are the server's, as in the whole
 * folder's THREAD. A relative's own relatives that no member names (a branch that mentions neither
 * the thread's root nor any member) are not followed: References carries the root (RFC 5322
 * §3.6.4), so only mail from clients that drop it can be missed, and only on this first page.
 *
 * Null when the server cannot thread, when the folder is no larger than the window (threading all
 * of it costs no more and gives the exact count), or when the window holds no more than `count`
 * conversations (its oldest might continue below it): the caller threads the whole folder then.
 * The folder must be selected.
 */
export async function threadNewest(client: ImapFlow, exists: number, count: number, window = NEWEST_WINDOW): Promise<number[][] | null> {
  const algorithm = threadAlgorithm(client.capabilities);
  if (!algorithm || exists <= window || count <= 0) return null;
  const threads = inArrivalOrder(algorithm, await threadUids(client, algorithm, exists, [sequence(`${exists - window + 1}:*`)]));
  if (threads.length <= count) return null;
  const kept = threads.slice(-count);
  const members = kept.flat();
  const headers = await threadHeaders(client, members);
  const known = new Set([...headers.values()].flatMap((h) => (h.own ? [h.own] : [])));
  // The ids the kept messages name but that none of them is: parents and roots below the window
  // (or elsewhere, such as the user's own messages in Sent). A conversation whose messages name no
  // other is complete in the window: no lookup, so a folder of new mail costs one small THREAD.
  const named = [...new Set([...headers.values()].flatMap((h) => h.refs))].filter((id) => !known.has(id));
  const lowest = Math.min(...members);
  const relatives = await olderRelatives(client, named.slice(0, MAX_RELATIVE_IDS), lowest);
  if (relatives.length === 0) return kept;
  // Threaded again by the server with the relatives: the same grouping as the whole folder's THREAD
  // gives these messages. Kept are the threads holding a message of the window's page.
  const uids = [...members, ...relatives].sort((a, b) => a - b);
  const regrouped = inArrivalOrder(algorithm, await threadUids(client, algorithm, exists, [atom("UID"), sequence(uids.join(","))]));
  const mine = new Set(members);
  return regrouped.filter((t) => t.some((uid) => mine.has(uid)));
}
