// GET /api/drafts/[uid]?folder=&uidValidity= – a saved draft, for reopening it in the composer
// DELETE /api/drafts/[uid]?folder=&uidValidity= – discard a draft
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { openDraft } from "@/lib/mail/compose/start-compose";
import { deleteDraft } from "@/lib/mail/imap/delete-draft";
import { messageRefQuerySchema, uidSchema } from "@/lib/mail/schemas";

export const GET = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const query = parseOrThrow(messageRefQuerySchema, searchParamsOf(request));
  const draft = await openDraft(account, { ...query, uid: parseOrThrow(uidSchema, params.uid) });
  return NextResponse.json(draft, { headers: { "Cache-Control": "no-store" } });
});

// Only a message flagged \Draft is removed (lib/mail/imap/delete-draft.ts).
export const DELETE = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const query = parseOrThrow(messageRefQuerySchema, searchParamsOf(request));
  await deleteDraft(account, { ...query, uid: parseOrThrow(uidSchema, params.uid) });
  return new NextResponse(null, { status: 204 });
});
