import { sourceId, type ListOrder, type ListSource } from "./source";

// Query keys name what they hold, from the general to the particular, so that one prefix
// invalidates every page of a source, or every list at once.
export const mailKeys = {
  folders: () => ["folders"] as const,
  lists: () => ["list"] as const,
  source: (source: ListSource) => ["list", sourceId(source)] as const,
  page: (source: ListSource, order: ListOrder, page: number) => ["list", sourceId(source), order.sort, order.order, page] as const,
  messages: () => ["message"] as const,
  message: (folder: string, uidValidity: string, uid: number) => ["message", folder, uidValidity, uid] as const,
  /** The same message with its remote images allowed (through the image proxy): asked for on consent. */
  messageWithRemote: (folder: string, uidValidity: string, uid: number) => ["message", folder, uidValidity, uid, "remote"] as const,
  conversations: () => ["conversation"] as const,
  conversation: (folder: string, uidValidity: string, uid: number) => ["conversation", folder, uidValidity, uid] as const,
  settings: () => ["settings"] as const,
  outbox: () => ["outbox"] as const,
  outboxMessage: (id: string) => ["outbox", id] as const,
};
