import type { MessagePage, MessageSortKey, SortOrder } from "@/lib/mail/types";
import { api } from "./api-client";

/**
 * What a message list shows. Today a folder; search results and conversations become further kinds,
 * and paging, selection, actions and undo work the same on each because they only see a source.
 */
export type ListSource = { kind: "folder"; folder: string };

export interface ListOrder {
  sort: MessageSortKey;
  order: SortOrder;
}

export const DEFAULT_ORDER: ListOrder = { sort: "date", order: "desc" };

/** A stable id for a source, used in query keys and to tell two sources apart. */
export function sourceId(source: ListSource): string {
  return `folder:${source.folder}`;
}

/** The folder an action on this source's messages goes to (a search's rows will carry their own). */
export function sourceFolder(source: ListSource): string {
  return source.folder;
}

export function fetchSourcePage(source: ListSource, order: ListOrder, page: number, pageSize: number, signal?: AbortSignal): Promise<MessagePage> {
  return api.messages(source.folder, { page, pageSize, sort: order.sort, order: order.order }, signal);
}
