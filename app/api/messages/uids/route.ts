// GET /api/messages/uids?folder= – every UID of a folder, newest first, for "select all in folder"
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { listMessageUids } from "@/lib/mail/imap/list-message-uids";
import { messageUidsQuerySchema } from "@/lib/mail/schemas";

export const GET = mailRoute(async (request, { account }) => {
  const query = parseOrThrow(messageUidsQuerySchema, searchParamsOf(request));
  return NextResponse.json(await listMessageUids(account, query.folder), { headers: { "Cache-Control": "no-store" } });
});
