// GET /api/outbox – the messages waiting to be sent; POST /api/outbox – send a message through the outbox
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { enqueueMessage } from "@/lib/mail/outbox/enqueue-message";
import { listOutbox } from "@/lib/mail/outbox/list-outbox";
import { outboxEnqueueSchema } from "@/lib/mail/schemas";

export const GET = mailRoute(async (_request, { account }) => NextResponse.json({ items: await listOutbox(account.login) }));

export const POST = mailRoute(async (request, { account }) => {
  const input = parseOrThrow(outboxEnqueueSchema, await request.json().catch(() => null));
  return NextResponse.json({ item: await enqueueMessage(account, input) }, { status: 201 });
});
