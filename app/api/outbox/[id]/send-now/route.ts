// POST /api/outbox/[id]/send-now – send a waiting, scheduled or retrying message at once
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { sendNow } from "@/lib/mail/outbox/send-now";
import { outboxIdSchema } from "@/lib/mail/schemas";

export const POST = mailRoute<{ id: string }>(async (_request, { account, params }) => {
  const { id } = parseOrThrow(outboxIdSchema, params);
  return NextResponse.json({ item: await sendNow(account, id) });
});
