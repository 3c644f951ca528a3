// DELETE /api/uploads/[id] – remove an attachment before sending (cancel or "Remove")
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { deleteUpload } from "@/lib/mail/compose/upload-store";
import { uploadIdSchema } from "@/lib/mail/schemas";

export const DELETE = mailRoute<{ id: string }>(async (_request, { account, params }) => {
  await deleteUpload(account.key, parseOrThrow(uploadIdSchema, params.id));
  return new NextResponse(null, { status: 204 });
});
