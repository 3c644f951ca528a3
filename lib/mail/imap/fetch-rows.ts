import "server-only";
import type { FetchMessageObject, FetchQueryObject, ImapFlow } from "imapflow";

/** The data items a FETCH can ask for, by the name imapflow gives them in its answer. */
const ITEMS = ["flags", "envelope", "bodyStructure", "internalDate", "size", "headers", "bodyParts", "source"] as const;

/**
 * The answers of one FETCH: one row per message, each carrying every item asked for.
 *
 * A server may send FETCH responses nobody asked for at any time, above all the flags another
 * session just changed (RFC 9051 §7.5.2, RFC 3501 §7.4.2), and it may split one message's answer
 * over several responses. imapflow's fetch() hands out every untagged FETCH that arrives during
 * the command, so the reader that marked a message read in one connection put a flags-only row
 * beside the conversation another connection was reading: the same UID twice, once as
 * "(no sender)". Rows of one message are merged (the later response's items win: its flags are
 * the newer), and a row still missing an asked item is an update about a message not asked for.
 * Collected before returning: a command issued inside imapflow's fetch loop would deadlock.
 */
export async function fetchRows(
  client: ImapFlow,
  range: string | number[],
  query: FetchQueryObject,
  options: { uid?: boolean; changedSince?: bigint } = {},
): Promise<FetchMessageObject[]> {
  // Grouped by sequence number, which every FETCH response has (a UID only when asked or offered).
  const rows = new Map<number, FetchMessageObject>();
  for await (const row of client.fetch(range, query, options)) {
    const earlier = rows.get(row.seq);
    // A sequence number that now names another UID (an expunge in between): the newer row stands.
    rows.set(row.seq, earlier && (!earlier.uid || !row.uid || earlier.uid === row.uid) ? merge(earlier, row) : row);
  }
  const asked = ITEMS.filter((item) => !!query[item]);
  const uidAsked = !!query.uid || !!options.uid;
  return [...rows.values()].filter((row) => asked.every((item) => row[item] !== undefined) && (!uidAsked || !!row.uid));
}

function merge(earlier: FetchMessageObject, later: FetchMessageObject): FetchMessageObject {
  const merged: FetchMessageObject = { ...earlier };
  for (const [key, value] of Object.entries(later)) if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  return merged;
}
