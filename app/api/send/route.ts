// POST /api/send – send a message (SMTP submission), file it in Sent, remove its draft
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { sendMessage } from "@/lib/mail/compose/send-message";
import { sendRequestSchema } from "@/lib/mail/schemas";

export const POST = mailRoute(async (request, { account }) => {
  const input = parseOrThrow(sendRequestSchema, await request.json().catch(() => null));
  return NextResponse.json(await sendMessage(account, input));
});
