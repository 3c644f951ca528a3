// GET /api/messages/[uid]/body?folder=&uidValidity=&remote=&k= – the sanitized body as a document for the sandboxed frame
import { z } from "zod";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { isBodyCacheKey } from "@/lib/mail/body-cache-key";
import { getMessageBody } from "@/lib/mail/imap/get-message";
import { bodyContentSecurityPolicy, renderBodyDocument } from "@/lib/mail/mime";
import { messageRefQuerySchema, uidSchema } from "@/lib/mail/schemas";

const query = messageRefQuerySchema.extend({
  remote: z.enum(["0", "1"]).default("0"),
  // The login's body cache key (lib/mail/body-cache-key.ts): only then may the browser keep it.
  k: z.string().max(64).optional(),
});

// As long as the server's own copy (lib/mail/imap/get-message.ts): a body never changes for a
// UIDVALIDITY and UID, so there is nothing to revalidate within it.
const BROWSER_CACHE_SECONDS = 600;

export const GET = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const q = parseOrThrow(query, searchParamsOf(request));
  const uid = parseOrThrow(uidSchema, params.uid);
  const allowRemote = q.remote === "1";
  const body = await getMessageBody(account, { folder: q.folder, uidValidity: q.uidValidity, uid }, { allowRemote });
  // `private`: the signed-in browser's own cache, never a shared one (a proxy, a CDN).
  const cacheable = q.k !== undefined && isBodyCacheKey(account.login, q.k);
  return new Response(renderBodyDocument(body.html), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      // The sanitizer is the first wall; this policy is the second: no script, no fetch but from the
      // app itself (allowed remote images come through its image proxy).
      "Content-Security-Policy": bodyContentSecurityPolicy(),
      "Cache-Control": cacheable ? `private, max-age=${BROWSER_CACHE_SECONDS}` : "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "SAMEORIGIN",
      "Referrer-Policy": "no-referrer",
    },
  });
});
