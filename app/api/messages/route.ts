// GET /api/messages?folder=&page=&pageSize=&sort=&order= – one page of a folder (by date, newest first, unless asked otherwise), headers only
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { listMessages } from "@/lib/mail/imap/list-messages";
import { messageListQuerySchema } from "@/lib/mail/schemas";

export const GET = mailRoute(async (request, { account }) => {
  const query = parseOrThrow(messageListQuerySchema, searchParamsOf(request));
  return NextResponse.json(await listMessages(account, query), { headers: { "Cache-Control": "no-store" } });
});
