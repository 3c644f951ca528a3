import { NextResponse, type NextRequest } from "next/server";
import { createNonce, NONCE_HEADER, pageContentSecurityPolicy } from "@/lib/http/content-security-policy";

/**
 * Gives every page view a fresh nonce and its Content-Security-Policy. Next reads the nonce from
 * the request's own `Content-Security-Policy` header and puts it on the scripts it renders; the root
 * layout reads `x-nonce` for the theme script. Not an authorization layer: each page and route
 * checks the session itself.
 */
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const policy = pageContentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages only. The API is left out on purpose: a proxy clones request bodies up to 10 MB and cuts
  // them beyond (uploads, sends), and API responses get their fixed policy from next.config.js.
  // Static files carry no script of their own; prefetches reuse the page's policy.
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon\\.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
