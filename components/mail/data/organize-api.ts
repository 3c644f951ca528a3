// Folders and message actions (issue 4), the mail API's side of them (api-client.ts has the rest):
// apart so that their code loads with the folder dialogs or the first action on messages, not with
// the mail view's first visit.
import type { DeleteFolderResult, Folder, FolderUids, MessageAction, MessageActionResult, MessageSortKey, SortOrder } from "@/lib/mail/types";
import { json, request } from "./api-client";

export const organizeApi = {
  /** Every folder, unsubscribed ones too, for "Manage folders". */
  allFolders: () => request<{ folders: Folder[] }>("/api/folders?all=1").then((r) => r.folders),
  createFolder: (name: string, parentPath: string | null) =>
    request<{ path: string }>("/api/folders", json("POST", { name, parentPath })),
  updateFolder: (path: string, change: { name?: string; parentPath?: string | null }) =>
    request<{ path: string }>("/api/folders", json("PATCH", { path, ...change })),
  deleteFolder: (path: string, permanent: boolean) =>
    request<DeleteFolderResult>(`/api/folders?${new URLSearchParams({ path, permanent: permanent ? "1" : "0" })}`, {
      method: "DELETE",
    }),
  setSubscribed: (path: string, subscribed: boolean) =>
    request<void>("/api/folders/subscription", json("PUT", { path, subscribed })),
  /** Every UID of the folder in the list's order, so "select all" walks it as the user sees it. */
  folderUids: (folder: string, order: { sort: MessageSortKey; order: SortOrder }) =>
    request<FolderUids>(`/api/messages/uids?${new URLSearchParams({ folder, sort: order.sort, order: order.order })}`),
  act: (folder: string, uidValidity: string, uids: number[], action: MessageAction) =>
    request<MessageActionResult>("/api/messages/actions", json("POST", { folder, uidValidity, uids, action })),
  emptyTrash: () => request<{ deleted: number }>("/api/trash", { method: "DELETE" }),
};

