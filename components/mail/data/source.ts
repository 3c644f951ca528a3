import type { MessagePage, MessageSortKey, SortOrder } from "@/lib/mail/types";
import { api, searchApi } from "./api-client";

/**
 * What a message list shows: a folder, or the results of a search. Paging, selection, actions and
 * undo work the same on each because they only see a source. A search runs in `folder` unless its
 * query says `in:` (the server resolves that; the page it answers names the folder searched, or
 * none for in:anywhere, whose rows each name their own).
 */
export type ListSource = { kind: "folder"; folder: string } | { kind: "search"; query: string; folder: string };

export interface ListOrder {
  sort: MessageSortKey;
  order: SortOrder;
}

export const DEFAULT_ORDER: ListOrder = { sort: "date", order: "desc" };

/** A stable id for a source, used in query keys and to tell two sources apart. */
export function sourceId(source: ListSource): string {
  switch (source.kind) {
    case "folder":
      return `folder:${source.folder}`;
    case "search":
      return `search:${source.folder}:${source.query}`;
  }
}

/** The folder a source belongs to: the folder itself, or the one a search was started from. */
export function sourceFolder(source: ListSource): string {
  return source.folder;
}

export function fetchSourcePage(source: ListSource, order: ListOrder, page: number, pageSize: number, signal?: AbortSignal): Promise<MessagePage> {
  switch (source.kind) {
    case "folder":
      return api.messages(source.folder, { page, pageSize, sort: order.sort, order: order.order }, signal);
    case "search":
      // Results are newest first by date (the server's SORT where offered); the list's order menu is a folder's.
      return searchApi.search(source.query, source.folder, page, pageSize, signal);
  }
}
