import type { MessagePage, MessageSortKey, SortOrder } from "@/lib/mail/types";
import { api, searchApi } from "./api-client";

/**
 * What a message list shows: a folder, message by message; a folder's conversations (one row per
 * conversation); or the results of a search. Paging, selection, actions and undo work the same on
 * each because they only see a source. A search runs in `folder` unless its query says `in:` (the
 * server resolves that; the page it answers names the folder searched, or none for in:anywhere,
 * whose rows each name their own). A conversation row stands for its messages in the folder: its
 * `uid` is its newest one, and `row.conversation.uids` are what an action on it acts on.
 */
export type ListSource =
  | { kind: "folder"; folder: string }
  | { kind: "conversations"; folder: string }
  | { kind: "search"; query: string; folder: string };

export interface ListOrder {
  sort: MessageSortKey;
  order: SortOrder;
}

/** Rows per page of a list: the client's pages and the page the server renders first are the same. */
export const PAGE_SIZE = 50;

export const DEFAULT_ORDER: ListOrder = { sort: "date", order: "desc" };

/** A stable id for a source, used in query keys and to tell two sources apart. */
export function sourceId(source: ListSource): string {
  switch (source.kind) {
    case "folder":
    case "conversations":
      return `${source.kind}:${source.folder}`;
    case "search":
      return `search:${source.folder}:${source.query}`;
  }
}

/** The folder a source belongs to: the folder itself, or the one a search was started from. */
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
  switch (source.kind) {
    case "folder":
      return api.messages(source.folder, { page, pageSize, sort: order.sort, order: order.order }, signal);
    case "conversations":
      return api.conversations(source.folder, { page, pageSize, order: order.order }, signal);
    case "search":
      // Results are newest first by date (the server's SORT where offered); the list's order menu is a folder's.
      return searchApi.search(source.query, source.folder, page, pageSize, signal);
  }
}
