// GET /api/messages/snippets?folder=&uidValidity=&uids=1,2,3 – the first words of the rows on screen, for a server without PREVIEW
import { NextResponse } from "next/server";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { snippetQuerySchema } from "@/lib/mail/schemas";
import { getSnippets } from "@/lib/mail/snippets/get-snippets";

export const GET = mailRoute(async (request, { account }) => {
  const query = parseOrThrow(snippetQuerySchema, searchParamsOf(request));
  const snippets = await getSnippets(account, query);
  // Mail text: kept out of shared and browser caches (the browser's query cache holds it).
  return NextResponse.json({ snippets }, { headers: { "Cache-Control": "private, no-store" } });
});
