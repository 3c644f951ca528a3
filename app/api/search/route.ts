// GET /api/search?q=&folder=&page=&pageSize= – one page of a server-side search, newest first, headers only
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { searchMessages } from "@/lib/mail/imap/search-messages";
import { searchQuerySchema } from "@/lib/mail/schemas";

export const GET = mailRoute(async (request, { account }) => {
  const { q, folder, page, pageSize } = parseOrThrow(searchQuerySchema, searchParamsOf(request));
  return NextResponse.json(await searchMessages(account, { query: q, folder, page, pageSize }, request.signal), { headers: { "Cache-Control": "no-store" } });
});
