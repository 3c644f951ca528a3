import "server-only";
import type { ImapFlow } from "imapflow";
import { chooseSnippetPart, snippetByteCount, snippetFromPart, type SnippetPart } from "@/lib/mail/mime/text-snippet";
import type { MailAccount } from "./account";
import { cleanPreview } from "./fetch-previews";
import { withMailbox } from "./pool";
import { toMimeNode } from "./to-domain";
import { fetchRows } from "./fetch-rows";

/**
 * Snippets made here, for servers that offer no preview line (fetch-previews.ts): for each
 * message, BODYSTRUCTURE to find its text part, then `BODY.PEEK[<part>]<0.N>` (RFC 3501 §6.4.5: a
 * partial fetch, PEEK so \Seen is not set) of that part alone, N a few kilobytes — a 5 MB message
 * costs what a short one does. Messages whose text is the same part number and bound share one
 * FETCH (usually all of them: "1" or "1.1").
 *
 * `uids` must be in the selected folder. Returns "" for a message with no text to show; a UID the
 * server no longer has (expunged meanwhile) is missing from the map.
 */
export async function fetchTextSnippets(client: ImapFlow, uids: readonly number[]): Promise<Map<number, string>> {
  const snippets = new Map<number, string>();
  if (uids.length === 0) return snippets;

  const parts = new Map<number, SnippetPart | null>();
  for (const message of await fetchRows(client, uids.join(","), { uid: true, bodyStructure: true }, { uid: true })) {
    parts.set(message.uid, message.bodyStructure ? chooseSnippetPart(toMimeNode(message.bodyStructure)) : null);
  }

  const groups = new Map<string, { part: string; bytes: number; uids: number[] }>();
  for (const [uid, part] of parts) {
    if (!part) {
      snippets.set(uid, "");
      continue;
    }
    const bytes = snippetByteCount(part);
    const key = `${part.part}<${bytes}>`;
    const group = groups.get(key) ?? { part: part.part, bytes, uids: [] };
    group.uids.push(uid);
    groups.set(key, group);
  }

  for (const group of groups.values()) {
    const query = { uid: true, bodyParts: [{ key: group.part, start: 0, maxLength: group.bytes }] };
    const fetched = (await fetchRows(client, group.uids.join(","), query, { uid: true })).map((message) => ({
      uid: message.uid,
      body: message.bodyParts?.get(group.part) ?? Buffer.alloc(0),
    }));
    for (const { uid, body } of fetched) {
      const part = parts.get(uid)!;
      // Fewer bytes than asked, or the part's whole size: nothing was cut.
      const complete = body.length < group.bytes || (part.size !== null && body.length >= part.size);
      snippets.set(uid, cleanPreview(snippetFromPart(body, part, complete)) ?? "");
    }
  }
  return snippets;
}

/**
 * Snippets of `uids` in `folder` on a pooled connection; FOLDER_CHANGED when the folder's
 * UIDVALIDITY is no longer `uidValidity` (the UIDs would name other messages).
 */
export async function readTextSnippets(account: MailAccount, folder: string, uidValidity: string, uids: readonly number[]): Promise<Map<number, string>> {
  return withMailbox(account, folder, ({ client }) => fetchTextSnippets(client, uids), { expectedUidValidity: uidValidity });
}
