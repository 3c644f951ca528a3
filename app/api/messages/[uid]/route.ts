// GET /api/messages/[uid]?folder=&uidValidity=&remote= – one message for the reader (its body as the frame's document)
// PATCH /api/messages/[uid]?folder=&uidValidity= – mark read/unread, flag/unflag
import { NextResponse } from "next/server";
import { z } from "zod";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { rememberAddresses } from "@/lib/mail/compose/address-book";
import { getMessage } from "@/lib/mail/imap/get-message";
import { renderBodyDocument } from "@/lib/mail/mime";
import { setMessageFlags } from "@/lib/mail/imap/set-message-flags";
import { flagChangeSchema, messageRefQuerySchema, uidSchema } from "@/lib/mail/schemas";
import type { MessageView } from "@/lib/mail/types";

const getQuery = messageRefQuerySchema.extend({ remote: z.enum(["0", "1"]).default("0") });

export const GET = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const query = parseOrThrow(getQuery, searchParamsOf(request));
  const uid = parseOrThrow(uidSchema, params.uid);
  const message = await getMessage(account, { ...query, uid }, { allowRemote: query.remote === "1" });
  // Autocomplete learns from the envelopes of mail the user reads.
  await rememberAddresses(account.login, [...message.from, ...message.replyTo, ...message.to, ...message.cc]);
  const { html, ...rest } = message;
  const answer: MessageView = { ...rest, bodyDocument: renderBodyDocument(html) };
  return NextResponse.json(answer, { headers: { "Cache-Control": "no-store" } });
});

export const PATCH = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const query = parseOrThrow(messageRefQuerySchema, searchParamsOf(request));
  const uid = parseOrThrow(uidSchema, params.uid);
  const change = parseOrThrow(flagChangeSchema, await request.json().catch(() => null));
  await setMessageFlags(account, { ...query, uid }, change);
  return new NextResponse(null, { status: 204 });
});
