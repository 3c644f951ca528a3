// The browser's side of the mail API: JSON in, domain types out, errors as the server phrased them.
import type {
  DraftContent,
  Folder,
  MessagePage,
  MessageSortKey,
  OutboxItem,
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

/** A request with a JSON body. */
export const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

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
  /** The messages waiting in the outbox (queued, scheduled, failed). */
  outbox: () => request<{ items: OutboxItem[] }>("/api/outbox").then((r) => r.items),
};

// --- Compose and send ---------------------------------------------------------------------------
// composeApi and uploadFile are in compose-api.ts, loaded with the composer, not with the first visit.

/** What the composer sends: attachments by the ids the server issued for them. */
export type ComposeRequest = Omit<DraftContent, "attachments"> & { attachmentIds: string[] };

export const postJson = <T>(url: string, body: unknown) => request<T>(url, json("POST", body));

// --- The outbox (issue 9): Send queues, the server submits -------------------------------------
// Its list is in `api` (the folder tree counts it); the rest is in outbox-api.ts, loaded with the
// composer, the send tracker or the Outbox view.

// --- Organizing (issue 4): folders and message actions ----------------------------------------
// organizeApi is in organize-api.ts, loaded with the folder dialogs and the first message action.

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
