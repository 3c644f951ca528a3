// GET /api/search/uids?q=&folder= – every result of a search by folder, newest first, for "select all"
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { searchMessageUids } from "@/lib/mail/imap/search-messages";
import { searchUidsQuerySchema } from "@/lib/mail/schemas";

export const GET = mailRoute(async (request, { account }) => {
  const { q, folder } = parseOrThrow(searchUidsQuerySchema, searchParamsOf(request));
  return NextResponse.json(await searchMessageUids(account, { query: q, folder }, request.signal), { headers: { "Cache-Control": "no-store" } });
});
