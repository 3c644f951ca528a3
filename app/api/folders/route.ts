// GET /api/folders?all= – the folder tree with unread and total counts (all=1: unsubscribed ones too)
// POST /api/folders – create a folder { name, parentPath }
// PATCH /api/folders – rename a folder and/or move it under another { path, name?, parentPath? }
// DELETE /api/folders?path=&permanent= – delete a folder; its messages go to Trash unless permanent=1
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { createFolder } from "@/lib/mail/imap/create-folder";
import { deleteFolder } from "@/lib/mail/imap/delete-folder";
import { listFolders } from "@/lib/mail/imap/list-folders";
import { renameFolder } from "@/lib/mail/imap/rename-folder";
import { createFolderSchema, deleteFolderQuerySchema, folderListQuerySchema, updateFolderSchema } from "@/lib/mail/schemas";

export const GET = mailRoute(async (request, { account }) => {
  const query = parseOrThrow(folderListQuerySchema, searchParamsOf(request));
  const folders = await listFolders(account, { includeUnsubscribed: query.all === "1" });
  return NextResponse.json({ folders }, { headers: { "Cache-Control": "no-store" } });
});

export const POST = mailRoute(async (request, { account }) => {
  const input = parseOrThrow(createFolderSchema, await request.json().catch(() => null));
  return NextResponse.json(await createFolder(account, input), { status: 201 });
});

export const PATCH = mailRoute(async (request, { account }) => {
  const input = parseOrThrow(updateFolderSchema, await request.json().catch(() => null));
  return NextResponse.json(await renameFolder(account, input));
});

export const DELETE = mailRoute(async (request, { account }) => {
  const query = parseOrThrow(deleteFolderQuerySchema, searchParamsOf(request));
  return NextResponse.json(await deleteFolder(account, { path: query.path, permanent: query.permanent === "1" }));
});
