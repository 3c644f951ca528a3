// POST /api/drafts – save the composer's state in Drafts, replacing the previous version
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { saveDraft } from "@/lib/mail/compose/save-draft";
import { saveDraftRequestSchema } from "@/lib/mail/schemas";

export const POST = mailRoute(async (request, { account }) => {
  const { replaces, ...input } = parseOrThrow(saveDraftRequestSchema, await request.json().catch(() => null));
  return NextResponse.json(await saveDraft(account, input, replaces), { status: 201 });
});
