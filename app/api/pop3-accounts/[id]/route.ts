// PUT /api/pop3-accounts/[id] – change an account; DELETE /api/pop3-accounts/[id] – remove it (fetched mail stays)
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { removePop3Account, updatePop3Account } from "@/lib/mail/fetch-pop3";
import { pop3AccountInputSchema } from "@/lib/mail/fetch-pop3/schemas";

export const PUT = mailRoute<{ id: string }>(async (request, { account, params }) => {
  const input = parseOrThrow(pop3AccountInputSchema, await request.json().catch(() => null));
  return NextResponse.json(await updatePop3Account(account, params.id, input), { headers: { "Cache-Control": "no-store" } });
});

export const DELETE = mailRoute<{ id: string }>(async (_request, { account, params }) => {
  await removePop3Account(account, params.id);
  return new NextResponse(null, { status: 204 });
});
