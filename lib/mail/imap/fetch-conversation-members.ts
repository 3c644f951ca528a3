import "server-only";
import type { FetchMessageObject, ImapFlow } from "imapflow";
import { messageIds, type ThreadHeaders } from "@/lib/mail/conversations/group-messages";
import type { MessageSummary } from "@/lib/mail/types";
import { fetchPreviews } from "./fetch-previews";
import { HEADER_QUERY, summarize } from "./list-messages";

export interface Member {
  summary: MessageSummary;
  headers: ThreadHeaders;
}

/** The References line of a fetched header block, unfolded (RFC 5322 §2.2.3). */
function referencesOf(message: FetchMessageObject): string[] {
  const block = message.headers?.toString("utf8").replace(/\r?\n[ \t]+/g, " ") ?? "";
  const line = block.split(/\r?\n/).find((l) => l.toLowerCase().startsWith("references:"));
  return messageIds(line?.slice("references:".length));
}

/**
 * The list-row data of `uids` in the selected folder plus their threading headers (Message-ID and
 * In-Reply-To from the envelope, References as its one header line): never a body. With
 * `previews`, the server's preview lines of the UIDs in that set.
 */
export async function fetchConversationMembers(client: ImapFlow, uids: number[], previewsOf: ReadonlySet<number> | "all"): Promise<Member[]> {
  if (uids.length === 0) return [];
  const fetched: FetchMessageObject[] = [];
  // Collect first: issuing a command inside this loop would deadlock the connection.
  for await (const m of client.fetch(uids.join(","), { ...HEADER_QUERY, headers: ["references"] }, { uid: true })) fetched.push(m);
  const wanted = previewsOf === "all" ? fetched.map((m) => m.uid) : fetched.map((m) => m.uid).filter((uid) => previewsOf.has(uid));
  const previews = await fetchPreviews(client, wanted);
  return fetched.map((m) => ({
    summary: summarize(m, previews),
    headers: {
      key: String(m.uid),
      messageId: m.envelope?.messageId ?? null,
      inReplyTo: messageIds(m.envelope?.inReplyTo)[0] ?? null,
      references: referencesOf(m),
    },
  }));
}
