// GET /api/contacts?q= – recipient suggestions from addresses the user wrote to or heard from
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { suggestAddresses } from "@/lib/mail/compose/address-book";
import { contactQuerySchema } from "@/lib/mail/schemas";

export const GET = mailRoute(async (request, { account }) => {
  const { q } = parseOrThrow(contactQuerySchema, searchParamsOf(request));
  return NextResponse.json({ contacts: await suggestAddresses(account.login, q) }, { headers: { "Cache-Control": "no-store" } });
});
