// DELETE /api/trash – empty Trash: every message in it deleted for good
import { NextResponse } from "next/server";
import { mailRoute } from "@/lib/api/route";
import { emptyTrash } from "@/lib/mail/imap/empty-trash";

export const DELETE = mailRoute(async (_request, { account }) => {
  return NextResponse.json(await emptyTrash(account));
});
