// GET /api/conversations/[uid]?folder=&uidValidity=[&members=] – the conversation of one message: its messages in that folder and in Sent, oldest first
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { getConversation } from "@/lib/mail/imap/get-conversation";
import { conversationQuerySchema, uidSchema } from "@/lib/mail/schemas";

export const GET = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const { members, ...ref } = parseOrThrow(conversationQuerySchema, searchParamsOf(request));
  const uid = parseOrThrow(uidSchema, params.uid);
  return NextResponse.json(await getConversation(account, { ...ref, uid }, members), { headers: { "Cache-Control": "no-store" } });
});
