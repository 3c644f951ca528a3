import type { MessageSortKey, SortOrder } from "@/lib/mail/types";
import { DEFAULT_ORDER, type ListOrder, type ListSource } from "@/components/mail/data/source";
import type { OpenedMessage } from "@/components/mail/list/message-list";

// No "use client": the server reads the same URL the same way to render what the client will ask for.

export interface MailLocation {
  source: ListSource;
  order: ListOrder;
  open: OpenedMessage | null;
}

const SORT_KEYS: readonly MessageSortKey[] = ["date", "arrival", "from", "subject", "size"];

export function readLocation(params: URLSearchParams): MailLocation {
  const folder = params.get("folder") || "INBOX";
  const uid = Number(params.get("uid"));
  const uidValidity = params.get("uidValidity");
  const sortParam = params.get("sort") as MessageSortKey | null;
  const sort = sortParam && SORT_KEYS.includes(sortParam) ? sortParam : DEFAULT_ORDER.sort;
  const order: SortOrder = params.get("order") === "asc" ? "asc" : "desc";
  // A search keeps its query in the URL, so back/forward and reload show the same results.
  const query = params.get("q");
  const source: ListSource = query ? { kind: "search", query, folder } : { kind: "folder", folder };
  // A result of in:anywhere lives in a folder of its own: the URL says which.
  const messageFolder = params.get("messageFolder");
  const open = uid > 0 && uidValidity ? { uid, uidValidity, ...(messageFolder ? { folder: messageFolder } : {}) } : null;
  return { source, order: { sort, order }, open };
}

export function locationUrl(next: MailLocation): string {
  const params = new URLSearchParams({ folder: next.source.folder });
  if (next.source.kind === "search") params.set("q", next.source.query);
  if (next.order.sort !== DEFAULT_ORDER.sort) params.set("sort", next.order.sort);
  if (next.order.order !== DEFAULT_ORDER.order) params.set("order", next.order.order);
  if (next.open) {
    params.set("uid", String(next.open.uid));
    params.set("uidValidity", next.open.uidValidity);
    if (next.open.folder && next.open.folder !== next.source.folder) params.set("messageFolder", next.open.folder);
  }
  return `/mail?${params.toString()}`;
}
