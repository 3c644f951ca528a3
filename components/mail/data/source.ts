import type { MessagePage, MessageSortKey, SortOrder } from "@/lib/mail/types";
import { api } from "./api-client";

/**
 * What a message list shows. A folder, message by message; or a folder's conversations (one row
 * per conversation, issue 11); search results become a further kind. Paging, selection, actions
 * and undo work the same on each because they only see a source. A conversation row stands for
 * its messages in the folder: its `uid` is its newest one, and `row.conversation.uids` are what an
 * action on it acts on.
 */
export type ListSource = { kind: "folder"; folder: string } | { kind: "conversations"; folder: string };

export interface ListOrder {
  sort: MessageSortKey;
  order: SortOrder;
}

export const DEFAULT_ORDER: ListOrder = { sort: "date", order: "desc" };

/** A stable id for a source, used in query keys and to tell two sources apart. */
export function sourceId(source: ListSource): string {
  return `${source.kind}:${source.folder}`;
}

/** The folder an action on this source's messages goes to (a search's rows will carry their own). */
export function sourceFolder(source: ListSource): string {
  return source.folder;
}

/**
 * How the list shows a folder: by conversation when the user has the view on (the default) and
 * the list is in date order — conversations are ordered by their newest message, so sorting them
 * by sender, subject or size means nothing — and never in Drafts, whose messages open one by one
 * in the composer.
 */
export function viewOfFolder(folder: string, options: { conversations: boolean; order: ListOrder; isDrafts: boolean }): ListSource {
  const grouped = options.conversations && options.order.sort === "date" && !options.isDrafts;
  return grouped ? { kind: "conversations", folder } : { kind: "folder", folder };
}

export function fetchSourcePage(source: ListSource, order: ListOrder, page: number, pageSize: number, signal?: AbortSignal): Promise<MessagePage> {
  if (source.kind === "conversations") return api.conversations(source.folder, { page, pageSize, order: order.order }, signal);
  return api.messages(source.folder, { page, pageSize, sort: order.sort, order: order.order }, signal);
}
