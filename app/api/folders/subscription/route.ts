// PUT /api/folders/subscription – subscribe to or unsubscribe from a folder { path, subscribed }
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { setFolderSubscription } from "@/lib/mail/imap/set-folder-subscription";
import { folderSubscriptionSchema } from "@/lib/mail/schemas";

export const PUT = mailRoute(async (request, { account }) => {
  const input = parseOrThrow(folderSubscriptionSchema, await request.json().catch(() => null));
  await setFolderSubscription(account, input);
  return new NextResponse(null, { status: 204 });
});
