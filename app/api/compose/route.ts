// POST /api/compose – the composer's starting point for a reply, reply all or forward of a message
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { startCompose } from "@/lib/mail/compose/start-compose";
import { composeStartSchema } from "@/lib/mail/schemas";

// POST, not GET: a forward copies the original's attachments into new uploads.
export const POST = mailRoute(async (request, { account }) => {
  const { mode, ...ref } = parseOrThrow(composeStartSchema, await request.json().catch(() => null));
  return NextResponse.json(await startCompose(account, mode, ref));
});
