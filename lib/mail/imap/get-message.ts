import "server-only";
import { createHash } from "node:crypto";
import type { FetchMessageObject, ImapFlow } from "imapflow";
import { AppError } from "@/lib/errors";
import { signImageUrl } from "@/lib/image-proxy/sign-image-url";
import { getStore } from "@/lib/store";
import { finalizeAttachments, planBody, sanitizeMailHtml, textToHtml, type BodyPlan } from "@/lib/mail/mime";
import type { Message } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { partUrl } from "./message-urls";
import { repairAttachmentNames } from "./repair-attachment-names";
import { withMailbox } from "./pool";
import { messageDate, toAddresses, toFlags, toMimeNode } from "./to-domain";

export interface MessageRef {
  folder: string;
  uidValidity: string;
  uid: number;
}

interface RenderedBody {
  html: string;
  remoteContentBlocked: boolean;
  usedCids: Set<string>;
}

// A body's bytes never change for a given UIDVALIDITY and UID, so opening a message again — in
// another tab, on another instance, a reply quoting it — shares one download and one sanitizing
// pass. Kept briefly in the store, keyed by
// login: every session of that mailbox may read it (all use one IMAP server, so a login is one
// mailbox, and the image proxy URLs in it are signed per login too), no other login can name it.
// Entries outlive a sign-out by at most the TTL, readable only by signing in to the same mailbox.
const BODY_CACHE_TTL_MS = 10 * 60_000;

interface CachedBody {
  html: string;
  remoteContentBlocked: boolean;
  usedCids: string[];
}

function cacheKey(account: MailAccount, ref: MessageRef, allowRemote: boolean): string {
  const id = createHash("sha256").update(JSON.stringify([account.login, ref.folder, ref.uidValidity, ref.uid, allowRemote])).digest("base64url");
  return `body:${id}`;
}

async function cachedBody(key: string): Promise<RenderedBody | null> {
  const cached = await (await getStore()).kv.get<CachedBody>(key);
  return cached ? { ...cached, usedCids: new Set(cached.usedCids) } : null;
}

async function remember(key: string, body: RenderedBody): Promise<void> {
  const value: CachedBody = { html: body.html, remoteContentBlocked: body.remoteContentBlocked, usedCids: [...body.usedCids] };
  await (await getStore()).kv.set(key, value, { ttlMs: BODY_CACHE_TTL_MS });
}

async function renderOnce(key: string, render: () => Promise<RenderedBody>): Promise<RenderedBody> {
  const cached = await cachedBody(key);
  if (cached) return cached;
  const body = await render();
  await remember(key, body);
  return body;
}

// A text part larger than this is shown truncated: nobody reads 20 MB of HTML, and it would be held in memory.
const MAX_TEXT_BYTES = 4 * 1024 * 1024;

/**
 * What to show, and how to ask for it. A message that is not multipart has its one body as section
 * TEXT (RFC 3501 §6.4.5: part 1 of a single-part message is its body, but only TEXT is certain to be
 * answered without the headers); asking for "1" would make imapflow fetch the structure again to
 * find that out.
 */
function planOf(message: FetchMessageObject): BodyPlan & { singlePart: boolean } {
  const root = message.bodyStructure ? toMimeNode(message.bodyStructure) : { type: "text/plain", part: "1" };
  return { ...planBody(root), singlePart: !root.childNodes };
}

async function renderBody(
  client: ImapFlow,
  ref: MessageRef,
  plan: BodyPlan & { singlePart: boolean },
  allowRemote: boolean,
  login: string,
): Promise<RenderedBody> {
  const bodyPart = plan.htmlPart ?? plan.textPart;
  const cidUrl = (cid: string) => {
    const bare = cid.replace(/^<|>$/g, "");
    const inline = plan.inlineByCid.get(bare) ?? plan.inlineByCid.get(`<${bare}>`);
    return inline ? partUrl(ref.folder, ref.uidValidity, ref.uid, inline.partId) : null;
  };
  if (!bodyPart) {
    return { html: "", remoteContentBlocked: false, usedCids: new Set() };
  }
  const section = plan.singlePart && bodyPart === "1" ? "TEXT" : bodyPart;
  const download = await client.download(String(ref.uid), section, { uid: true, maxBytes: MAX_TEXT_BYTES });
  const chunks: Buffer[] = [];
  if (download.content) {
    for await (const chunk of download.content) chunks.push(chunk as Buffer);
  }
  const source = Buffer.concat(chunks).toString("utf8");
  const html = bodyPart === plan.htmlPart ? source : textToHtml(source);
  // Allowed remote images load through the image proxy, signed for this login: the sender sees
  // the server ask, never the reader's address or the moment they read.
  const remoteUrl = (href: string) => signImageUrl(login, href);
  return sanitizeMailHtml(html, { allowRemote, cidUrl, remoteUrl });
}

async function fetchHeaders(client: ImapFlow, uid: number): Promise<FetchMessageObject> {
  const message = await client.fetchOne(
    String(uid),
    { uid: true, flags: true, envelope: true, internalDate: true, size: true, bodyStructure: true },
    { uid: true },
  );
  if (!message) throw new AppError("MESSAGE_NOT_FOUND");
  return message;
}

/**
 * One message for the reader: headers, attachment list and the sanitized body. Fetches only the one
 * text part it shows (BODY.PEEK, so the \Seen flag is left to the caller), never the attachments.
 */
export async function getMessage(account: MailAccount, ref: MessageRef, options: { allowRemote: boolean }): Promise<Message> {
  return withMailbox(
    account,
    ref.folder,
    async ({ client }) => {
      const message = await fetchHeaders(client, ref.uid);
      const plan = planOf(message);
      const body = await renderOnce(cacheKey(account, ref, options.allowRemote), () =>
        renderBody(client, ref, plan, options.allowRemote, account.login),
      );
      const attachments = await repairAttachmentNames(client, message.uid, finalizeAttachments(plan, body.usedCids));
      return {
        folder: ref.folder,
        uidValidity: ref.uidValidity,
        uid: message.uid,
        flags: toFlags(message.flags),
        from: toAddresses(message.envelope?.from),
        to: toAddresses(message.envelope?.to),
        cc: toAddresses(message.envelope?.cc),
        bcc: toAddresses(message.envelope?.bcc),
        replyTo: toAddresses(message.envelope?.replyTo),
        subject: message.envelope?.subject ?? "",
        date: messageDate(message),
        size: message.size ?? 0,
        messageId: message.envelope?.messageId ?? null,
        inReplyTo: message.envelope?.inReplyTo ?? null,
        hasAttachments: attachments.some((a) => !a.inline),
        html: body.html,
        remoteContentBlocked: body.remoteContentBlocked,
        attachments,
      };
    },
    { expectedUidValidity: ref.uidValidity },
  );
}
