// GET /api/drafts/[uid]?folder=&uidValidity= – a saved draft, for reopening it in the composer
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { openDraft } from "@/lib/mail/compose/start-compose";
import { messageRefQuerySchema, uidSchema } from "@/lib/mail/schemas";

export const GET = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const query = parseOrThrow(messageRefQuerySchema, searchParamsOf(request));
  const draft = await openDraft(account, { ...query, uid: parseOrThrow(uidSchema, params.uid) });
  return NextResponse.json(draft, { headers: { "Cache-Control": "no-store" } });
});
