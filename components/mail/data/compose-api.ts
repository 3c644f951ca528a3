// The composer's side of the mail API (api-client.ts has the rest): apart so that its code loads
// with the composer, not with the mail view's first visit.
import type { Address, ComposeLimits, DraftContent, MessageRefData, SendResult, UploadedFile } from "@/lib/mail/types";
import { ApiError, messageQuery, postJson, request, SESSION_ENDED_EVENT, type ComposeRequest } from "./api-client";

export const composeApi = {
  limits: () => request<ComposeLimits>("/api/uploads"),
  start: (mode: "reply" | "replyAll" | "forward", ref: MessageRefData) => postJson<DraftContent>("/api/compose", { mode, ...ref }),
  openDraft: (ref: MessageRefData) =>
    request<DraftContent & { draft: MessageRefData }>(`/api/drafts/${ref.uid}?${messageQuery(ref.folder, ref.uidValidity)}`),
  saveDraft: (draft: ComposeRequest, replaces: MessageRefData | null) => postJson<MessageRefData>("/api/drafts", { ...draft, replaces }),
  discardDraft: (ref: MessageRefData) =>
    request<void>(`/api/drafts/${ref.uid}?${messageQuery(ref.folder, ref.uidValidity)}`, { method: "DELETE" }),
  send: (message: ComposeRequest, idempotencyKey: string, draft: MessageRefData | null) =>
    postJson<SendResult>("/api/send", { ...message, idempotencyKey, draft }),
  deleteUpload: (id: string) => request<void>(`/api/uploads/${encodeURIComponent(id)}`, { method: "DELETE" }),
  contacts: (q: string, signal?: AbortSignal) =>
    request<{ contacts: Address[] }>(`/api/contacts?${new URLSearchParams({ q })}`, { signal }).then((r) => r.contacts),
};

/**
 * Uploads one file as the raw request body, reporting progress; XMLHttpRequest because fetch()
 * cannot report upload progress. The returned abort cancels the transfer.
 */
export function uploadFile(
  file: Blob,
  filename: string,
  onProgress: (loaded: number, total: number) => void,
): { done: Promise<UploadedFile>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedFile>((resolve, reject) => {
    xhr.open("POST", "/api/uploads");
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(filename));
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.total);
    xhr.onload = () => {
      if (xhr.status === 401) window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201) resolve(body as UploadedFile);
      else {
        const error = (body as { error?: { code: string; message: string } } | null)?.error;
        reject(new ApiError(error?.code ?? "UNKNOWN", error?.message ?? `The upload failed (${xhr.status}).`, xhr.status));
      }
    };
    xhr.onerror = () => reject(new ApiError("OFFLINE", "The upload was interrupted. Check your connection and attach the file again.", 0));
    xhr.onabort = () => reject(new ApiError("ABORTED", "Upload cancelled.", 0));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
