// The outbox (issue 9): Send queues, the server submits. The mail API's side of it apart from its
// list (api.outbox, in api-client.ts), so that its code loads with the composer, the send tracker or
// the Outbox view, not with the mail view's first visit.
import type { MessageRefData, OutboxItem, OutboxLookup } from "@/lib/mail/types";
import { postJson, request, type ComposeRequest } from "./api-client";

export const outboxApi = {
  /** Queues the message: after the user's undo window, or at `sendAt` (epoch ms) for "Send later". */
  enqueue: (message: ComposeRequest, idempotencyKey: string, draft: MessageRefData | null, sendAt: number | null) =>
    postJson<{ item: OutboxItem }>("/api/outbox", { ...message, idempotencyKey, draft, sendAt }).then((r) => r.item),
  get: (id: string) => request<OutboxLookup>(`/api/outbox/${encodeURIComponent(id)}`),
  /** Undo, Edit, Cancel sending: the message goes back to Drafts; the answer says where. */
  cancel: (id: string) => postJson<{ draft: MessageRefData }>(`/api/outbox/${encodeURIComponent(id)}/cancel`, {}).then((r) => r.draft),
  sendNow: (id: string) => postJson<{ item: OutboxItem }>(`/api/outbox/${encodeURIComponent(id)}/send-now`, {}).then((r) => r.item),
};
