import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { currentMailAccount } from "@/lib/auth/mail-session";
import { AppError, errorCatalog, isAppError } from "@/lib/errors";
import type { MailAccount } from "@/lib/mail/imap/account";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * next-auth's CSRF token covers only its own routes, so every state-changing request is checked
 * here: the browser must say the request came from our own origin.
 */
export function isSameOriginRequest(request: Request): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite) return fetchSite === "same-origin" || fetchSite === "none";
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function errorResponse(error: unknown, where = ""): NextResponse {
  if (isAppError(error)) {
    return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  }
  // Only deliberate errors reach the user; the rest is logged by name and code, never with its
  // payload, and with the route that met it (method and path: never the query string, which can
  // hold folder names and search words).
  const e = error as { name?: string; code?: string; message?: string } | null;
  console.error(`[letterbox] unexpected error${where ? ` in ${where}` : ""}: ${e?.name ?? "Error"} ${e?.code ?? ""} ${e?.message ?? ""}`.trim());
  return NextResponse.json({ error: { code: "UNKNOWN", message: errorCatalog.UNKNOWN.message } }, { status: 500 });
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
    throw new AppError("BAD_REQUEST", `The request was not understood (${detail}).`);
  }
  return result.data;
}

export function searchParamsOf(request: NextRequest): Record<string, string> {
  return Object.fromEntries(request.nextUrl.searchParams.entries());
}

/**
 * The policy of every API answer that sets none of its own (JSON, downloads, the event stream):
 * nothing in it may run or be framed, should a browser ever render one as a document. The message
 * body (framed by the app, `frame-ancestors 'self'`) and attachments (`sandbox`) set their own.
 * It is set here rather than in next.config.js, whose headers would replace a route's own.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Gives an API answer the default policy unless its route chose one. */
export function withApiHeaders(response: Response): Response {
  if (!response.headers.has("content-security-policy")) {
    try {
      response.headers.set("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
    } catch {
      // A Response.redirect() has immutable headers: a redirect renders nothing, so nothing is lost.
    }
  }
  return response;
}

type Handler<P> = (request: NextRequest, context: { account: MailAccount; params: P }) => Promise<Response>;

/**
 * The one wrapper for our mail API: origin check for mutations, the session's mail account, and
 * errors mapped to HTTP in one place. Handlers stay a few lines: parse, call one lib function, answer.
 */
export function mailRoute<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    const response = await (async () => {
      try {
        if (!SAFE_METHODS.has(request.method) && !isSameOriginRequest(request)) throw new AppError("BAD_ORIGIN");
        const account = await currentMailAccount();
        return await handler(request, { account, params: await context.params });
      } catch (error) {
        return errorResponse(error, `${request.method} ${request.nextUrl.pathname}`);
      }
    })();
    // With several instances behind a load balancer, each one's log shows what it served (method,
    // path, status: never a query string, which can hold folder names and search words).
    if (process.env.LETTERBOX_LOG_REQUESTS === "1") console.info(`[letterbox] ${request.method} ${request.nextUrl.pathname} ${response.status}`);
    return withApiHeaders(response);
  };
}
