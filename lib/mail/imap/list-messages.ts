import "server-only";
import type { FetchMessageObject } from "imapflow";
import { planBody } from "@/lib/mail/mime";
import type { MessagePage } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { withMailbox } from "./pool";
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
 * One page of a folder, newest first, header-first: flags, envelope, size and body structure (to know
 * about attachments); never a body.
 */
export async function listMessages(
  account: MailAccount,
  input: { folder: string; page: number; pageSize: number },
): Promise<MessagePage> {
  return withMailbox(account, input.folder, async ({ client, mailbox, uidValidity }) => {
    const range = pageRange(mailbox.exists, input.page, input.pageSize);
    const fetched: FetchMessageObject[] = [];
    if (range) {
      // Collect first: issuing a command inside this loop would deadlock the connection.
      for await (const message of client.fetch(`${range.start}:${range.end}`, {
        uid: true,
        flags: true,
        envelope: true,
        internalDate: true,
        size: true,
        bodyStructure: true,
      })) {
        fetched.push(message);
      }
    }
    // Servers may answer FETCH in any order; UID order is arrival order.
    fetched.sort((a, b) => b.uid - a.uid);
    return {
      folder: input.folder,
      uidValidity,
      total: mailbox.exists,
      page: input.page,
      pageSize: input.pageSize,
      // Sorting by date lands with SORT (RFC 5256); until then this is arrival order, said so.
      sort: "arrival",
      order: "desc",
      messages: fetched.map((m) =>
        toSummary(m, m.bodyStructure ? planBody(toMimeNode(m.bodyStructure)).attachments.some((a) => !a.inline) : false),
      ),
    };
  });
}
