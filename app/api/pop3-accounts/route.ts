// GET /api/pop3-accounts – the signed-in user's POP3 accounts; POST /api/pop3-accounts – add one
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { addPop3Account, listPop3Accounts } from "@/lib/mail/fetch-pop3";
import { pop3AccountInputSchema } from "@/lib/mail/fetch-pop3/schemas";

const noStore = { headers: { "Cache-Control": "no-store" } };

export const GET = mailRoute(async (_request, { account }) => NextResponse.json({ accounts: await listPop3Accounts(account.login) }, noStore));

export const POST = mailRoute(async (request, { account }) => {
  const input = parseOrThrow(pop3AccountInputSchema, await request.json().catch(() => null));
  return NextResponse.json(await addPop3Account(account, input), { status: 201, ...noStore });
});
