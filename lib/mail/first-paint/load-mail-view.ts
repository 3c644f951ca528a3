import "server-only";
import { isAppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";
import { listConversations } from "@/lib/mail/imap/list-conversations";
import { listFolders } from "@/lib/mail/imap/list-folders";
import { listMessages } from "@/lib/mail/imap/list-messages";
import { conversationListQuerySchema, defaultSettings, messageListQuerySchema } from "@/lib/mail/schemas";
import type { FirstListView, FirstPaint, Folder, UserSettings } from "@/lib/mail/types";
import { getSettings } from "@/lib/settings/get-settings";

/**
 * How long the page waits for the mail server before it sends the shell without the data. A slow or
 * unreachable server (a connection that is not refused but never answers) must cost the first paint
 * no more than this; the client's own requests then wait, with the loading state and errors it has.
 */
export const FIRST_PAINT_BUDGET_MS = 1500;

const TIMED_OUT = Symbol("timed out");

async function within<T>(work: Promise<T>, deadline: number, what: string): Promise<T | null> {
  // Whatever happens after the deadline is nobody's concern: swallow it so it is not unhandled.
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()));
  });
  try {
    const result = await Promise.race([work, timeout]);
    return result === TIMED_OUT ? null : result;
  } catch (e) {
    // The client asks again and shows the error in the user's words; the log says what happened,
    // without payload (as mailRoute's log line does).
    const code = isAppError(e) ? e.code : ((e as { code?: string } | null)?.code ?? "unexpected");
    console.warn(`[letterbox] first paint: ${what} left to the browser (${code})`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

// Through JSON, as the API routes send it: the browser's cache must hold what a fetch would give
// (dates as strings, no undefined fields), or the first refetch would "change" every row.
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The folder tree, the user's settings and the first page of the list the client would show for
 * this URL, read with the same use cases (and the same input schemas, so the same defaults) as
 * `GET /api/folders`, `/api/settings`, `/api/messages` and `/api/conversations`. `view` decides
 * from the settings and folders which list that is, by the client's own rule, or null for a list
 * the page does not render on the server (search results).
 */
export async function loadMailView(
  account: MailAccount,
  view: (settings: UserSettings, folders: Folder[]) => FirstListView | null,
  budgetMs = FIRST_PAINT_BUDGET_MS,
): Promise<FirstPaint> {
  const at = Date.now();
  const deadline = at + budgetMs;
  const [settings, folders] = await Promise.all([
    within(getSettings(account.login), deadline, "settings"),
    within(listFolders(account), deadline, "folders"),
  ]);
  // Without the folders the list cannot be chosen the client's way (Drafts lists messages), and the
  // mail server is likely away anyway.
  // Settings that cannot be read are the defaults, as in the browser (loadSettings).
  const wanted = folders ? view(settings ?? defaultSettings, folders) : null;
  let list: FirstPaint["list"] = null;
  if (wanted) {
    const input = { folder: wanted.folder, page: 0, pageSize: wanted.pageSize, sort: wanted.sort, order: wanted.order };
    const page =
      wanted.kind === "conversations"
        ? await within(listConversations(account, conversationListQuerySchema.parse(input)), deadline, "conversations")
        : await within(listMessages(account, messageListQuerySchema.parse(input)), deadline, "messages");
    if (page) list = { ...wanted, page: asJson(page) };
  }
  return { at, folders: folders && asJson(folders), settings: settings && asJson(settings), list };
}
