// GET/POST /api/auth/* – next-auth: sign-in, sign-out, session, CSRF token
import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { withApiHeaders } from "@/lib/api/route";
import { authOptions } from "@/lib/auth/auth-options";

// Options are built per request so that configuration is validated at run time, not at build time.
async function handler(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  return withApiHeaders(await NextAuth(authOptions())(request, context));
}

export { handler as GET, handler as POST };
