// POST /api/pop3-accounts/[id]/fetch – "Check now": fetch at once, answer with the account's new status
import { NextResponse } from "next/server";
import { mailRoute } from "@/lib/api/route";
import { runPop3Account } from "@/lib/mail/fetch-pop3";

export const POST = mailRoute<{ id: string }>(async (_request, { account, params }) =>
  NextResponse.json(await runPop3Account(account.login, params.id, { imap: account }), { headers: { "Cache-Control": "no-store" } }),
);
