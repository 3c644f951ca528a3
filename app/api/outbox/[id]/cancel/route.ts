// POST /api/outbox/[id]/cancel – take a message out of the outbox and back into Drafts (Undo, Cancel sending)
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { cancelMessage } from "@/lib/mail/outbox/cancel-message";
import { outboxIdSchema } from "@/lib/mail/schemas";

export const POST = mailRoute<{ id: string }>(async (_request, { account, params }) => {
  const { id } = parseOrThrow(outboxIdSchema, params);
  return NextResponse.json({ draft: await cancelMessage(account, id) });
});
