// GET /api/conversations?folder=&page=&pageSize=&order= – one page of a folder's conversation view (one row per conversation), headers only
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { listConversations } from "@/lib/mail/imap/list-conversations";
import { conversationListQuerySchema } from "@/lib/mail/schemas";

export const GET = mailRoute(async (request, { account }) => {
  const query = parseOrThrow(conversationListQuerySchema, searchParamsOf(request));
  return NextResponse.json(await listConversations(account, query), { headers: { "Cache-Control": "no-store" } });
});
