import "server-only";
import type { FetchMessageObject, ImapFlow } from "imapflow";
import { planBody } from "@/lib/mail/mime";
import type { MessageSummary } from "@/lib/mail/types";
import { toMimeNode, toSummary } from "./to-domain";
import { fetchRows } from "./fetch-rows";

export const HEADER_QUERY = { uid: true, flags: true, envelope: true, internalDate: true, size: true, bodyStructure: true } as const;

/** Flags, envelope, size and structure of `range` (sequence numbers, or UIDs with `byUid`); never a body. */
export async function fetchHeaders(client: ImapFlow, range: string, byUid: boolean): Promise<FetchMessageObject[]> {
  return fetchRows(client, range, HEADER_QUERY, { uid: byUid });
}

export function summarize(message: FetchMessageObject, previews: Map<number, string | null>): MessageSummary {
  const hasAttachments = message.bodyStructure
    ? planBody(toMimeNode(message.bodyStructure)).attachments.some((a) => !a.inline)
    : false;
  return { ...toSummary(message, hasAttachments), preview: previews.get(message.uid) ?? null };
}
