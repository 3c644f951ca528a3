// The browser's side of the mail API: JSON in, domain types out, errors as the server phrased them.
import type {
  DeleteFolderResult,
  DraftContent,
  Folder,
  FolderUids,
  MessageAction,
  MessageActionResult,
  MessagePage,
  MessageRefData,
  MessageSortKey,
  OutboxItem,
  OutboxLookup,
  SearchPage,
  SearchUids,
  SortOrder,
  UserSettings,
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

type ErrorBody = { error?: { code: string; message: string } };

function parseError(text: string): ErrorBody | null {
  try {
    return JSON.parse(text) as ErrorBody;
  } catch {
    return null;
  }
}

export async function request<T>(url: string, init?: RequestInit): Promise<T> {
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
    const text = await response.text().catch(() => "");
    const body = parseError(text);
    // The server's own words where it gave some: a proxy's short plain-text answer counts too.
    const plain = !body && text && text.length < 300 && !text.trimStart().startsWith("<") ? text.trim() : null;
    const fallback = `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`;
    throw new ApiError(body?.error?.code ?? "UNKNOWN", body?.error?.message ?? plain ?? fallback, response.status);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const messageQuery = (folder: string, uidValidity: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({ folder, uidValidity, ...extra }).toString();

export const api = {
  folders: () => request<{ folders: Folder[] }>("/api/folders").then((r) => r.folders),
  messages: (
    folder: string,
    q: { page: number; pageSize: number; sort: MessageSortKey; order: SortOrder },
    signal?: AbortSignal,
  ) =>
    request<MessagePage>(
      `/api/messages?${new URLSearchParams({ folder, page: String(q.page), pageSize: String(q.pageSize), sort: q.sort, order: q.order })}`,
      { signal },
    ),
  conversations: (folder: string, q: { page: number; pageSize: number; order: SortOrder }, signal?: AbortSignal) =>
    request<MessagePage>(
      `/api/conversations?${new URLSearchParams({ folder, page: String(q.page), pageSize: String(q.pageSize), order: q.order })}`,
      { signal },
    ),
};

// --- Compose and send ---------------------------------------------------------------------------
// composeApi and uploadFile are in compose-api.ts, loaded with the composer, not with the first visit.

/** What the composer sends: attachments by the ids the server issued for them. */
export type ComposeRequest = Omit<DraftContent, "attachments"> & { attachmentIds: string[] };

export const postJson = <T>(url: string, body: unknown) =>
  request<T>(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

// --- The outbox (issue 9): Send queues, the server submits -------------------------------------

export const outboxApi = {
  list: () => request<{ items: OutboxItem[] }>("/api/outbox").then((r) => r.items),
  /** Queues the message: after the user's undo window, or at `sendAt` (epoch ms) for "Send later". */
  enqueue: (message: ComposeRequest, idempotencyKey: string, draft: MessageRefData | null, sendAt: number | null) =>
    postJson<{ item: OutboxItem }>("/api/outbox", { ...message, idempotencyKey, draft, sendAt }).then((r) => r.item),
  get: (id: string) => request<OutboxLookup>(`/api/outbox/${encodeURIComponent(id)}`),
  /** Undo, Edit, Cancel sending: the message goes back to Drafts; the answer says where. */
  cancel: (id: string) => postJson<{ draft: MessageRefData }>(`/api/outbox/${encodeURIComponent(id)}/cancel`, {}).then((r) => r.draft),
  sendNow: (id: string) => postJson<{ item: OutboxItem }>(`/api/outbox/${encodeURIComponent(id)}/send-now`, {}).then((r) => r.item),
};

// --- Organizing (issue 4): folders and message actions ----------------------------------------

export const json = (method: string, body: unknown): RequestInit => ({
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
  /** Every UID of the folder in the list's order, so "select all" walks it as the user sees it. */
  folderUids: (folder: string, order: { sort: MessageSortKey; order: SortOrder }) =>
    request<FolderUids>(`/api/messages/uids?${new URLSearchParams({ folder, sort: order.sort, order: order.order })}`),
  act: (folder: string, uidValidity: string, uids: number[], action: MessageAction) =>
    request<MessageActionResult>("/api/messages/actions", json("POST", { folder, uidValidity, uids, action })),
  emptyTrash: () => request<{ deleted: number }>("/api/trash", { method: "DELETE" }),
};

// --- Search (issue 11): done by the mail server --------------------------------------------------

export const searchApi = {
  search: (query: string, folder: string, page: number, pageSize: number, signal?: AbortSignal) =>
    request<SearchPage>(`/api/search?${new URLSearchParams({ q: query, folder, page: String(page), pageSize: String(pageSize) })}`, { signal }),
  /** Every result, grouped by folder: what "select all" acts on. */
  uids: (query: string, folder: string) => request<SearchUids>(`/api/search/uids?${new URLSearchParams({ q: query, folder })}`),
};

// --- Settings (issue 10): per login, kept on the server ----------------------------------------

export const settingsApi = {
  settings: () => request<UserSettings>("/api/settings"),
  /** Any subset; the server answers with the whole, as stored. */
  saveSettings: (patch: Partial<UserSettings>) => request<UserSettings>("/api/settings", json("PUT", patch)),
};

// --- POP3 accounts (issue 12): pop3-api.ts, loaded with Settings. ---------------------------------
