// The reader's side of the mail API (api-client.ts has the rest): apart so that its code loads with
// the reader or the first prefetch of a message, not with the mail view's first visit.
import type { Conversation, MessageView } from "@/lib/mail/types";
import { ApiError, messageQuery, request } from "./api-client";

export const readerApi = {
  conversation: (folder: string, uidValidity: string, uid: number, signal?: AbortSignal, members?: number[]) =>
    request<Conversation>(`/api/conversations/${uid}?${messageQuery(folder, uidValidity, members?.length ? { members: members.join(",") } : {})}`, { signal }),
  message: (folder: string, uidValidity: string, uid: number, remote: boolean, signal?: AbortSignal) =>
    request<MessageView>(`/api/messages/${uid}?${messageQuery(folder, uidValidity, { remote: remote ? "1" : "0" })}`, { signal }),
  setFlags: (folder: string, uidValidity: string, uid: number, change: { seen?: boolean; flagged?: boolean }) =>
    request<void>(`/api/messages/${uid}?${messageQuery(folder, uidValidity)}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(change),
    }),
  source: async (folder: string, uidValidity: string, uid: number) => {
    const response = await fetch(`/api/messages/${uid}/source?${messageQuery(folder, uidValidity)}`);
    if (!response.ok) throw new ApiError("SOURCE", "The message source could not be loaded.", response.status);
    return response.text();
  },
};

export function partDownloadUrl(folder: string, uidValidity: string, uid: number, partId: string): string {
  return `/api/messages/${uid}/parts/${encodeURIComponent(partId)}?${messageQuery(folder, uidValidity, { download: "1" })}`;
}

export function sourceDownloadUrl(folder: string, uidValidity: string, uid: number): string {
  return `/api/messages/${uid}/source?${messageQuery(folder, uidValidity, { download: "1" })}`;
}
