// POST /api/pop3-accounts/test – "Test connection": log in with the form's settings, say what failed
import { NextResponse } from "next/server";
import { z } from "zod";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { testPop3Account } from "@/lib/mail/fetch-pop3";
import { pop3AccountInputSchema } from "@/lib/mail/fetch-pop3/schemas";

const schema = pop3AccountInputSchema.extend({ accountId: z.string().uuid().optional() });

export const POST = mailRoute(async (request, { account }) => {
  const { accountId, ...input } = parseOrThrow(schema, await request.json().catch(() => null));
  return NextResponse.json(await testPop3Account(account.login, input, accountId), { headers: { "Cache-Control": "no-store" } });
});
