// The browser's side of the mail API: JSON in, domain types out, errors as the server phrased them.
import type {
  DeleteFolderResult,
  Folder,
  FolderUids,
  Message,
  MessageAction,
  MessageActionResult,
  MessagePage,
} from "@/lib/mail/types";

export const SESSION_ENDED_EVENT = "letterbox:session-ended";

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: "same-origin" });
  } catch {
    throw new ApiError("OFFLINE", "Letterbox cannot be reached. Check your connection.", 0);
  }
  if (response.status === 401) {
    // The session ended (sign-out elsewhere, or the server restarted): the shell sends the user to sign-in.
    window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
    throw new ApiError("UNAUTHENTICATED", "Your session has ended. Sign in again.", 401);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(body?.error?.code ?? "UNKNOWN", body?.error?.message ?? `Request failed (${response.status}).`, response.status);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const messageQuery = (folder: string, uidValidity: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({ folder, uidValidity, ...extra }).toString();

export const api = {
  folders: () => request<{ folders: Folder[] }>("/api/folders").then((r) => r.folders),
  messages: (folder: string, page: number, pageSize: number, signal?: AbortSignal) =>
    request<MessagePage>(`/api/messages?${new URLSearchParams({ folder, page: String(page), pageSize: String(pageSize) })}`, { signal }),
  message: (folder: string, uidValidity: string, uid: number, remote: boolean, signal?: AbortSignal) =>
    request<Message>(`/api/messages/${uid}?${messageQuery(folder, uidValidity, { remote: remote ? "1" : "0" })}`, { signal }),
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

export function bodyUrl(folder: string, uidValidity: string, uid: number, remote: boolean): string {
  return `/api/messages/${uid}/body?${messageQuery(folder, uidValidity, { remote: remote ? "1" : "0" })}`;
}

export function partDownloadUrl(folder: string, uidValidity: string, uid: number, partId: string): string {
  return `/api/messages/${uid}/parts/${encodeURIComponent(partId)}?${messageQuery(folder, uidValidity, { download: "1" })}`;
}

export function sourceDownloadUrl(folder: string, uidValidity: string, uid: number): string {
  return `/api/messages/${uid}/source?${messageQuery(folder, uidValidity, { download: "1" })}`;
}

// --- Organizing (issue 4): folders and message actions ----------------------------------------

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

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
  folderUids: (folder: string) => request<FolderUids>(`/api/messages/uids?${new URLSearchParams({ folder })}`),
  act: (folder: string, uidValidity: string, uids: number[], action: MessageAction) =>
    request<MessageActionResult>("/api/messages/actions", json("POST", { folder, uidValidity, uids, action })),
  emptyTrash: () => request<{ deleted: number }>("/api/trash", { method: "DELETE" }),
};
