// GET/POST /api/auth/* – next-auth: sign-in, sign-out, session, CSRF token
import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { withApiHeaders } from "@/lib/api/route";
import { authOptions } from "@/lib/auth/auth-options";

// Options are built per request so that configuration is validated at run time, not at build time.
async function handler(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  const response = withApiHeaders(await NextAuth(authOptions())(request, context));
  if (request.method === "POST" && (await context.params).nextauth.join("/") === "signout") return clearingCache(response);
  return response;
}

/**
 * Signing out empties this origin's HTTP cache (Clear-Site-Data, W3C): a message's inline images
 * and attachments are kept there for an hour (`private`), and on a shared computer the next person
 * at the browser must not find them. Only the cache: a draft the server did not
 * take stays in the browser's storage, so that nothing is lost.
 */
function clearingCache(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("Clear-Site-Data", '"cache"');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export { handler as GET, handler as POST };
