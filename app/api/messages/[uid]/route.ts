// GET /api/messages/[uid]?folder=&uidValidity=&remote= – one message for the reader (sanitized body)
// PATCH /api/messages/[uid]?folder=&uidValidity= – mark read/unread, flag/unflag
import { NextResponse } from "next/server";
import { z } from "zod";
import { mailRoute, parseOrThrow, searchParamsOf } from "@/lib/api/route";
import { bodyCacheKey } from "@/lib/mail/body-cache-key";
import { rememberAddresses } from "@/lib/mail/compose/address-book";
import { getMessage } from "@/lib/mail/imap/get-message";
import { setMessageFlags } from "@/lib/mail/imap/set-message-flags";
import { flagChangeSchema, messageRefQuerySchema, uidSchema } from "@/lib/mail/schemas";
import type { Message } from "@/lib/mail/types";

const getQuery = messageRefQuerySchema.extend({ remote: z.enum(["0", "1"]).default("0") });

export const GET = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const query = parseOrThrow(getQuery, searchParamsOf(request));
  const uid = parseOrThrow(uidSchema, params.uid);
  const message = await getMessage(account, { ...query, uid }, { allowRemote: query.remote === "1" });
  // Autocomplete learns from the envelopes of mail the user reads.
  await rememberAddresses(account.login, [...message.from, ...message.replyTo, ...message.to, ...message.cc]);
  const answer: Message = { ...message, bodyKey: bodyCacheKey(account.login) };
  return NextResponse.json(answer, { headers: { "Cache-Control": "no-store" } });
});

export const PATCH = mailRoute<{ uid: string }>(async (request, { account, params }) => {
  const query = parseOrThrow(messageRefQuerySchema, searchParamsOf(request));
  const uid = parseOrThrow(uidSchema, params.uid);
  const change = parseOrThrow(flagChangeSchema, await request.json().catch(() => null));
  await setMessageFlags(account, { ...query, uid }, change);
  return new NextResponse(null, { status: 204 });
});
