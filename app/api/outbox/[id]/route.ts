// GET /api/outbox/[id] – one outbox message as the Outbox view shows it, or what became of it once sent
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { getOutboxMessage } from "@/lib/mail/outbox/get-outbox-message";
import { outboxIdSchema } from "@/lib/mail/schemas";

export const GET = mailRoute<{ id: string }>(async (_request, { account, params }) => {
  const { id } = parseOrThrow(outboxIdSchema, params);
  return NextResponse.json(await getOutboxMessage(account.login, id));
});
