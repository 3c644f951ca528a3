import "server-only";
import type { FetchMessageObject, ImapFlow } from "imapflow";
import { planBody } from "@/lib/mail/mime";
import type { MessagePage, MessageSortKey, MessageSummary, SortOrder } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { fetchPreviews } from "./fetch-previews";
import { withMailbox } from "./pool";
import { sortSupport, sortUids } from "./sort-uids";
import { toMimeNode, toSummary } from "./to-domain";

/**
 * The sequence range holding page `page` (0 = newest) of a folder with `exists` messages. Sequence
 * numbers are dense, so page 2,000 costs the same as page 1 — unlike UID ranges, which have gaps.
 */
export function pageRange(exists: number, page: number, pageSize: number): { start: number; end: number } | null {
  const end = exists - page * pageSize;
  if (end < 1) return null;
  return { start: Math.max(1, end - pageSize + 1), end };
}

/**
 * Positions (1-based, in ascending order of the sort) of page `page` of `total` messages: counted
 * from the end for a descending list, from the start for an ascending one.
 */
export function pagePositions(
  total: number,
  page: number,
  pageSize: number,
  order: SortOrder,
): { from: number; to: number } | null {
  if (order === "desc") {
    const range = pageRange(total, page, pageSize);
    return range && { from: range.start, to: range.end };
  }
  const from = page * pageSize + 1;
  if (from > total) return null;
  return { from, to: Math.min(total, from + pageSize - 1) };
}

export const HEADER_QUERY = { uid: true, flags: true, envelope: true, internalDate: true, size: true, bodyStructure: true } as const;

/** Flags, envelope, size and structure of `range` (sequence numbers, or UIDs with `byUid`); never a body. */
export async function fetchHeaders(client: ImapFlow, range: string, byUid: boolean): Promise<FetchMessageObject[]> {
  const fetched: FetchMessageObject[] = [];
  // Collect first: issuing a command inside this loop would deadlock the connection.
  for await (const message of client.fetch(range, HEADER_QUERY, { uid: byUid })) fetched.push(message);
  return fetched;
}

export function summarize(message: FetchMessageObject, previews: Map<number, string | null>): MessageSummary {
  const hasAttachments = message.bodyStructure
    ? planBody(toMimeNode(message.bodyStructure)).attachments.some((a) => !a.inline)
    : false;
  return { ...toSummary(message, hasAttachments), preview: previews.get(message.uid) ?? null };
}

/**
 * One page of a folder, header-first: flags, envelope, size and body structure (to know about
 * attachments), plus the server's preview line where it offers one; never a body.
 *
 * By date, sender, subject or size the server sorts (SORT, RFC 5256; ESORT, RFC 5267), and only
 * the page's UIDs are fetched, so page 1,000 costs what page 1 does. A server without SORT gets
 * arrival order, and the page says so (`sort: "arrival"`). Arrival order needs no SORT at all:
 * UIDs ascend with sequence numbers, which are dense, so a page is a sequence range.
 */
export async function listMessages(
  account: MailAccount,
  input: { folder: string; page: number; pageSize: number; sort?: MessageSortKey; order?: SortOrder },
): Promise<MessagePage> {
  const order = input.order ?? "desc";
  return withMailbox(account, input.folder, async ({ client, mailbox, uidValidity }) => {
    const wanted = input.sort ?? "date";
    const sort: MessageSortKey = wanted !== "arrival" && sortSupport(client.capabilities).sort ? wanted : "arrival";
    const positions = pagePositions(mailbox.exists, input.page, input.pageSize, order);

    let ordered: FetchMessageObject[] = [];
    if (positions && sort !== "arrival") {
      const uids = await sortUids(client, { key: sort, range: positions, exists: mailbox.exists });
      if (order === "desc") uids.reverse();
      if (uids.length) {
        const byUid = new Map((await fetchHeaders(client, uids.join(","), true)).map((m) => [m.uid, m]));
        // A message expunged between SORT and FETCH is simply missing from the page.
        ordered = uids.flatMap((uid) => byUid.get(uid) ?? []);
      }
    } else if (positions) {
      const fetched = await fetchHeaders(client, `${positions.from}:${positions.to}`, false);
      // Servers may answer FETCH in any order; UID order is arrival order.
      ordered = fetched.sort((a, b) => (order === "desc" ? b.uid - a.uid : a.uid - b.uid));
    }
    const previews = await fetchPreviews(
      client,
      ordered.map((m) => m.uid),
    );
    return {
      folder: input.folder,
      uidValidity,
      total: mailbox.exists,
      page: input.page,
      pageSize: input.pageSize,
      sort,
      order,
      messages: ordered.map((m) => summarize(m, previews)),
    };
  });
}
