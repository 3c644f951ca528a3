import type { MessagePage, MessageSummary, SortOrder } from "@/lib/mail/types";

/**
 * The page of the conversation view, as the direct listing (lib/mail/imap/list-conversations.ts)
 * and the cached one (lib/mail/cache/cached-conversations.ts) both answer it: always by date.
 */
export function conversationPage(
  input: { folder: string; page: number; pageSize: number },
  page: { uidValidity: string; total: number; order: SortOrder; messages: MessageSummary[]; fromCache?: boolean },
): MessagePage {
  return {
    folder: input.folder,
    uidValidity: page.uidValidity,
    total: page.total,
    page: input.page,
    pageSize: input.pageSize,
    sort: "date",
    order: page.order,
    messages: page.messages,
    conversations: true,
    ...(page.fromCache === undefined ? {} : { fromCache: page.fromCache }),
  };
}
