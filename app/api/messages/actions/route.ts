// POST /api/messages/actions – one action on a batch of messages { folder, uidValidity, uids, action }
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { actOnMessages } from "@/lib/mail/imap/act-on-messages";
import { messageActionRequestSchema } from "@/lib/mail/schemas";

export const POST = mailRoute(async (request, { account }) => {
  const { action, ...set } = parseOrThrow(messageActionRequestSchema, await request.json().catch(() => null));
  return NextResponse.json(await actOnMessages(account, set, action));
});
