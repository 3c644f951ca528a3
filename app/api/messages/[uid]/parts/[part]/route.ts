// GET /api/messages/[uid]/parts/[part]?folder=&uidValidity=&download= – one attachment or inline image, streamed
import { Readable } from "node:stream";
import { z } from "zod";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { downloadPart } from "@/lib/mail/imap/download-part";
import { contentDispositionHeader, safeDownloadType } from "@/lib/mail/mime";
import { messageRefQuerySchema, partIdSchema, uidSchema } from "@/lib/mail/schemas";

const query = messageRefQuerySchema.extend({ download: z.enum(["0", "1"]).default("0") });

export const GET = mailRoute<{ uid: string; part: string }>(async (request, { account, params }) => {
  const q = parseOrThrow(query, searchParamsOf(request));
  const uid = parseOrThrow(uidSchema, params.uid);
  const partId = parseOrThrow(partIdSchema, decodeURIComponent(params.part));
  const part = await downloadPart(account, { folder: q.folder, uidValidity: q.uidValidity, uid }, partId);
  // A closed tab must stop the IMAP transfer and free the connection.
  request.signal.addEventListener("abort", () => part.stream.destroy(), { once: true });
  const asAttachment = q.download === "1";
  return new Response(Readable.toWeb(part.stream) as ReadableStream, {
    headers: {
      "Content-Type": asAttachment ? part.contentType : safeDownloadType(part.contentType),
      "Content-Disposition": contentDispositionHeader(part.filename, asAttachment ? "attachment" : "inline"),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, max-age=3600",
    },
  });
});
