import "server-only";
import type { ImapFlow, SearchObject } from "imapflow";
import { AppError } from "@/lib/errors";
import { conversationId } from "@/lib/mail/conversations/conversation-id";
import { rootMessageId } from "@/lib/mail/conversations/group-messages";
import { MAX_CONVERSATION_MEMBERS, type Conversation, type ConversationMessage, type MessageRefData } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { fetchConversationMembers, type Member } from "./fetch-conversation-members";
import { withImapClient, withMailbox } from "./pool";
import { findSpecialFolder } from "./special-folders";
import { threadAlgorithm, threadUids } from "./thread-uids";

/** The reader stacks at most this many messages of one folder (the newest ones). */
export const MAX_CONVERSATION_MESSAGES = MAX_CONVERSATION_MEMBERS;
/** At most this many Message-IDs are searched for: the root and the newest ones. */
export const MAX_SEARCHED_IDS = 25;

/** UIDs of the selected folder's messages that are, answer or are answered by one of `ids`. */
async function searchRelatives(client: ImapFlow, ids: string[]): Promise<number[]> {
  if (ids.length === 0) return [];
  // imapflow's search compiler quotes each value (or sends it as a literal): a hostile
  // Message-ID cannot add search keys of its own.
  const or: SearchObject[] = ids.flatMap((id) => ["message-id", "in-reply-to", "references"].map((name) => ({ header: { [name]: id } })));
  const found = await client.search({ or }, { uid: true });
  return Array.isArray(found) ? found : [];
}

/**
 * Whether a member is, answers or is answered by one of `ids` (lower-cased), compared whole.
 * SEARCH HEADER is a substring match (RFC 3501 §6.4.4), and a server with a full-text index may
 * answer it by words (Dovecot with fts-xapian matches every message that shares the id's words,
 * "example.org" and all): its answers are candidates, this decides.
 */
function mentionsAny(member: Member, ids: ReadonlySet<string>): boolean {
  const { messageId, inReplyTo, references } = member.headers;
  return [messageId, inReplyTo, ...references].some((id) => !!id && ids.has(id.toLowerCase()));
}

/** Every Message-ID a set of members mentions, the root first, then the newest ones, bounded. */
function idsOf(members: Member[]): string[] {
  const oldestFirst = [...members].sort((a, b) => a.summary.date.localeCompare(b.summary.date));
  const all: string[] = [];
  const root = rootMessageId(oldestFirst.map((m) => m.headers));
  if (root) all.push(root);
  for (const m of oldestFirst.reverse()) for (const id of [m.headers.messageId, m.headers.inReplyTo, ...m.headers.references]) if (id) all.push(id);
  return [...new Set(all.map((id) => id.toLowerCase()))].slice(0, MAX_SEARCHED_IDS);
}

function newestUids(uids: number[]): number[] {
  return [...new Set(uids)].sort((a, b) => b - a).slice(0, MAX_CONVERSATION_MESSAGES);
}

/**
 * The conversation of one message, as the reader stacks it: its messages in the folder (the
 * server's thread where it threads, else the messages found by Message-ID / In-Reply-To /
 * References) and the user's own replies in Sent (searched by the same ids, bounded), oldest
 * first. Headers only: each body loads in its own sandboxed frame.
 *
 * `members`, where the server threads, are the conversation's UIDs in the folder as the list's row
 * has them — the server's own grouping, from the same THREAD (or the first page's threading of the
 * newest messages). They are taken as the thread, so opening a conversation costs a FETCH of its
 * messages rather than the whole folder's THREAD again (seconds on 100,000 messages). They are the
 * user's own folder's UIDs: a wrong or stale one only leaves a message out, or is not found.
 */
export async function getConversation(account: MailAccount, ref: MessageRefData, members?: readonly number[]): Promise<Conversation> {
  const inFolder = await withMailbox(
    account,
    ref.folder,
    async ({ client, mailbox }) => {
      const algorithm = threadAlgorithm(client.capabilities);
      let uids: number[];
      if (algorithm && members?.length) {
        uids = [ref.uid, ...members];
      } else if (algorithm) {
        const threads = await threadUids(client, algorithm, mailbox.exists);
        uids = threads.find((t) => t.includes(ref.uid)) ?? [];
      } else {
        const [anchor] = await fetchConversationMembers(client, [ref.uid], new Set());
        uids = anchor ? [ref.uid, ...(await searchRelatives(client, idsOf([anchor])))] : [];
        if (!uids.includes(ref.uid) || !anchor) throw new AppError("MESSAGE_NOT_FOUND");
        const wanted = new Set(idsOf([anchor]));
        const members = await fetchConversationMembers(client, newestUids(uids), "all");
        return members.filter((m) => m.summary.uid === ref.uid || mentionsAny(m, wanted));
      }
      if (!uids.includes(ref.uid)) throw new AppError("MESSAGE_NOT_FOUND");
      // The message itself is always read: with `members` its being there is checked only here.
      const found = await fetchConversationMembers(client, [...new Set([ref.uid, ...newestUids(uids)])], "all");
      if (!found.some((m) => m.summary.uid === ref.uid)) throw new AppError("MESSAGE_NOT_FOUND");
      return found;
    },
    { expectedUidValidity: ref.uidValidity },
  );
  if (inFolder.length === 0) throw new AppError("MESSAGE_NOT_FOUND");

  const ids = idsOf(inFolder);
  const sentPath = await withImapClient(account, (client) => findSpecialFolder(client, "sent"));
  let sent: { uidValidity: string; members: Member[] } | null = null;
  if (sentPath && sentPath !== ref.folder && ids.length > 0) {
    sent = await withMailbox(account, sentPath, async ({ client, uidValidity }) => ({
      uidValidity,
      members: (await fetchConversationMembers(client, newestUids(await searchRelatives(client, ids)), "all")).filter((m) =>
        mentionsAny(m, new Set(ids)),
      ),
    }));
  }

  const folderUidValidity = ref.uidValidity;
  const inFolderIds = new Set(inFolder.flatMap((m) => (m.headers.messageId ? [m.headers.messageId.toLowerCase()] : [])));
  const messages: ConversationMessage[] = [
    ...inFolder.map((m) => ({ ...m.summary, folder: ref.folder, uidValidity: folderUidValidity })),
    // A message to oneself is in both folders: shown once, from the folder being read.
    ...(sent?.members ?? [])
      .filter((m) => !m.headers.messageId || !inFolderIds.has(m.headers.messageId.toLowerCase()))
      .map((m) => ({ ...m.summary, folder: sentPath!, uidValidity: sent!.uidValidity })),
  ].sort((a, b) => a.date.localeCompare(b.date) || (a.folder === b.folder ? a.uid - b.uid : 0));

  const all = [...inFolder, ...(sent?.members ?? [])].sort((a, b) => a.summary.date.localeCompare(b.summary.date));
  const root = rootMessageId(all.map((m) => m.headers)) ?? `${ref.folder}\n${ref.uidValidity}\n${Math.min(...inFolder.map((m) => m.summary.uid))}`;
  const oldest = messages[0]!;
  return { id: conversationId(account.login, root), subject: oldest.subject || messages[messages.length - 1]!.subject, messages };
}
