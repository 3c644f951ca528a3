// GET /api/folders – the folder tree with unread and total counts
import { NextResponse } from "next/server";
import { mailRoute } from "@/lib/api/route";
import { listFolders } from "@/lib/mail/imap/list-folders";

export const GET = mailRoute(async (_request, { account }) => {
  return NextResponse.json({ folders: await listFolders(account) }, { headers: { "Cache-Control": "no-store" } });
});
