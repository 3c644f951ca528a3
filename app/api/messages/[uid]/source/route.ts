// GET /api/messages/[uid]/source?folder=&uidValidity=&download= – the raw message, as text or as an .eml download
import { Readable } from "node:stream";
import { z } from "zod";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { downloadSource } from "@/lib/mail/imap/download-part";
import { contentDispositionHeader } from "@/lib/mail/mime";
import { messageRefQuerySchema, uidSchema } from "@/lib/mail/schemas";

const query = messageRefQuerySchema.extend({ download: z.enum(["0", "1"]).default("0") });

export const GET = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const q = parseOrThrow(query, searchParamsOf(request));
  const uid = parseOrThrow(uidSchema, params.uid);
  const stream = await downloadSource(account, { folder: q.folder, uidValidity: q.uidValidity, uid });
  request.signal.addEventListener("abort", () => stream.destroy(), { once: true });
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      // Shown as text whatever it contains: a raw message must never be rendered.
      "Content-Type": q.download === "1" ? "message/rfc822" : "text/plain; charset=utf-8",
      "Content-Disposition": contentDispositionHeader(`message-${uid}.eml`, q.download === "1" ? "attachment" : "inline"),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
});
