// GET /api/uploads – the size limits for attachments
// POST /api/uploads – one file as the raw request body (name in X-File-Name), streamed to temporary storage
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { composeLimits } from "@/lib/mail/compose/limits";
import { saveUpload } from "@/lib/mail/compose/upload-store";
import { uploadHeadersSchema } from "@/lib/mail/schemas";

// Header values are Latin-1 on the wire, so the browser sends the UTF-8 name percent-encoded.
function decodeFileName(value: string | null): string {
  try {
    return decodeURIComponent(value ?? "");
  } catch {
    throw new AppError("BAD_REQUEST", "The file name was not understood.");
  }
}

export const GET = mailRoute(async () => NextResponse.json(await composeLimits(), { headers: { "Cache-Control": "no-store" } }));

// The body is read here as a stream, never with formData() (which buffers it all in memory).
export const POST = mailRoute(async (request, { account }) => {
  const meta = parseOrThrow(uploadHeadersSchema, {
    filename: decodeFileName(request.headers.get("x-file-name")),
    contentType: request.headers.get("content-type") ?? undefined,
    size: request.headers.get("content-length") ?? undefined,
  });
  const { maxUploadBytes } = await composeLimits();
  // Refused before a byte is read when the browser says up front that it is too large.
  if (meta.size !== undefined && meta.size > maxUploadBytes) throw new AppError("UPLOAD_TOO_LARGE");
  if (!request.body) throw new AppError("BAD_REQUEST", "The upload had no content.");
  const upload = await saveUpload(account.key, meta, request.body, maxUploadBytes);
  return NextResponse.json(upload, { status: 201 });
});
