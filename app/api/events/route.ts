// GET /api/events – the signed-in login's live updates, as Server-Sent Events
import { mailRoute } from "@/lib/api/route";
import { openEventStream } from "@/lib/mail/live/open-event-stream";

// A stream per request, never cached or prerendered.
export const dynamic = "force-dynamic";

export const GET = mailRoute(async (request, { account }) => openEventStream(account, request.signal));
