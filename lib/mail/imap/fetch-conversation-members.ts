import "server-only";
import type { FetchMessageObject, ImapFlow } from "imapflow";
import { messageIds, type ThreadHeaders } from "@/lib/mail/conversations/group-messages";
import type { MessageSummary } from "@/lib/mail/types";
import { fetchPreviews, previewForm } from "./fetch-previews";
import { fetchTextSnippets } from "./fetch-text-snippets";
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
 * The reader's collapsed messages show a preview line: where the server has none to give (no
 * PREVIEW, RFC 8970), the newest this many get a snippet from a partial fetch of their text part.
 */
export const MAX_READER_SNIPPETS = 50;

/**
 * The list-row data of `uids` in the selected folder plus their threading headers (Message-ID and
 * In-Reply-To from the envelope, References as its one header line): never a whole body. With
 * `previews`, the server's preview lines of the UIDs in that set; with "all" (the reader's stack),
 * on a server without them, snippets of the newest MAX_READER_SNIPPETS (fetch-text-snippets.ts).
 */
export async function fetchConversationMembers(client: ImapFlow, uids: number[], previewsOf: ReadonlySet<number> | "all"): Promise<Member[]> {
  if (uids.length === 0) return [];
  const fetched: FetchMessageObject[] = [];
  // Collect first: issuing a command inside this loop would deadlock the connection.
  for await (const m of client.fetch(uids.join(","), { ...HEADER_QUERY, headers: ["references"] }, { uid: true })) fetched.push(m);
  const wanted = previewsOf === "all" ? fetched.map((m) => m.uid) : fetched.map((m) => m.uid).filter((uid) => previewsOf.has(uid));
  const previews = await fetchPreviews(client, wanted);
  if (previewsOf === "all" && !previewForm(client.capabilities)) {
    const newest = [...wanted].sort((a, b) => b - a).slice(0, MAX_READER_SNIPPETS);
    for (const [uid, text] of await fetchTextSnippets(client, newest)) previews.set(uid, text || null);
  }
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
