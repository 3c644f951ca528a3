// GET /api/settings – the signed-in login's settings; PUT /api/settings – change any of them
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { userSettingsPatchSchema } from "@/lib/mail/schemas";
import { getSettings } from "@/lib/settings/get-settings";
import { updateSettings } from "@/lib/settings/update-settings";

const noStore = { headers: { "Cache-Control": "no-store" } };

export const GET = mailRoute(async (_request, { account }) => NextResponse.json(await getSettings(account.login), noStore));

export const PUT = mailRoute(async (request, { account }) => {
  const patch = parseOrThrow(userSettingsPatchSchema, await request.json().catch(() => null));
  return NextResponse.json(await updateSettings(account.login, patch), noStore);
});
