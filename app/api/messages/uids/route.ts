// GET /api/messages/uids?folder=&sort=&order= – every UID of a folder in the list's order, for "select all in folder"
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { listMessageUids } from "@/lib/mail/imap/list-message-uids";
import { messageUidsQuerySchema } from "@/lib/mail/schemas";

export const GET = mailRoute(async (request, { account }) => {
  const query = parseOrThrow(messageUidsQuerySchema, searchParamsOf(request));
  const uids = await listMessageUids(account, query.folder, { sort: query.sort, order: query.order });
  return NextResponse.json(uids, { headers: { "Cache-Control": "no-store" } });
});
