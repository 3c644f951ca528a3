import type { Address, ConversationInfo, MessageSummary } from "@/lib/mail/types";

// Pure rules of the conversation view, free of IMAP so that they are unit-tested: which messages
// belong together, and what one row says about them.

/** What threading needs of a message: its own id and the ids it answers (RFC 5322 §3.6.4). */
export interface ThreadHeaders {
  key: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
}

/** Message-IDs in a header value, angle brackets kept, compared as the RFC writes them. */
export function messageIds(value: string | null | undefined): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? [];
}

/**
 * Groups messages by Message-ID, In-Reply-To and References (RFC 5256 §2.2's parent links, without
 * its subject merging: two mails that share only "Re: Lunch" are not one conversation). Returns the
 * groups' keys, each group in input order, groups in order of their first member.
 */
export function groupByHeaders(messages: ThreadHeaders[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    // Path compression keeps long reply chains cheap.
    let node = x;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const add = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  const union = (a: string, b: string) => {
    add(a);
    add(b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const m of messages) {
    const node = `m:${m.key}`;
    add(node);
    for (const id of [m.messageId, m.inReplyTo, ...m.references]) if (id) union(node, `i:${id.toLowerCase()}`);
  }
  const groups = new Map<string, string[]>();
  for (const m of messages) {
    const root = find(`m:${m.key}`);
    const group = groups.get(root) ?? [];
    group.push(m.key);
    groups.set(root, group);
  }
  return [...groups.values()];
}

/**
 * The id a conversation is known by: the first Message-ID of its oldest member's References (the
 * message that started it), else that member's own Message-ID. The same in every folder, so the
 * Inbox part and the Sent part of a conversation agree.
 */
export function rootMessageId(oldestFirst: Pick<ThreadHeaders, "messageId" | "inReplyTo" | "references">[]): string | null {
  for (const m of oldestFirst) {
    const root = m.references[0] ?? m.inReplyTo ?? m.messageId;
    if (root) return root.toLowerCase();
  }
  return null;
}

const byDate = (a: MessageSummary, b: MessageSummary) => a.date.localeCompare(b.date) || a.uid - b.uid;

/** "Re: Re: Fwd: x" and "x" are one subject. */
export function baseSubject(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = s.replace(/^((re|fwd?|aw|wg|sv|vs|antw|r)(\[\d+\])?\s*:\s*)/i, "").trim();
    if (next === s) return s;
    s = next;
  }
}

/**
 * One list row for a conversation's messages in a folder: the newest message's uid, sender, date
 * and preview; the subject of the oldest (what the conversation is called); unread if any is,
 * flagged if any is; participants oldest first.
 */
export function conversationRow(id: string, members: MessageSummary[]): MessageSummary {
  const oldestFirst = [...members].sort(byDate);
  const newest = oldestFirst[oldestFirst.length - 1]!;
  const oldest = oldestFirst[0]!;
  const participants: Address[] = [];
  const seen = new Set<string>();
  for (const m of oldestFirst) {
    for (const a of m.from) {
      const k = (a.address || a.name).toLowerCase();
      if (seen.has(k)) continue;
      seen.add(k);
      participants.push(a);
    }
  }
  const newestFirst = [...oldestFirst].reverse();
  const conversation: ConversationInfo = {
    id,
    uids: newestFirst.map((m) => m.uid),
    unreadUids: newestFirst.filter((m) => !m.flags.seen).map((m) => m.uid),
    participants,
  };
  return {
    ...newest,
    subject: baseSubject(oldest.subject) ? oldest.subject : newest.subject,
    flags: {
      seen: conversation.unreadUids.length === 0,
      flagged: members.some((m) => m.flags.flagged),
      answered: members.some((m) => m.flags.answered),
      draft: false,
    },
    hasAttachments: members.some((m) => m.hasAttachments),
    conversation,
  };
}
