import "server-only";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { planBody } from "@/lib/mail/mime";
import type { MailAccount } from "./account";
import type { MessageRef } from "./get-message";
import { withHeldMailbox } from "./pool";
import { repairAttachmentNames } from "./repair-attachment-names";
import { toMimeNode } from "./to-domain";

/**
 * imapflow fetches a part in windows of this size, one round trip each. Its default of 64 KB makes a
 * 25 MB attachment 400 round trips (seconds on a remote server); 1 MB makes it 25, and memory still
 * holds only a window or two, whatever the file's size.
 */
export const DOWNLOAD_CHUNK_BYTES = 1024 * 1024;

export interface PartDownload {
  filename: string;
  contentType: string;
  /** Decoded bytes, streamed from the server as they arrive; destroy it to stop the transfer. */
  stream: Readable;
}

/**
 * Streams one body part, decoded from its transfer encoding. Only parts the message's structure lists
 * as attachments or inline images can be fetched, so a crafted part id cannot reach anything else.
 * The connection and mailbox lock stay held until the stream ends, fails or is destroyed.
 */
export async function downloadPart(account: MailAccount, ref: MessageRef, partId: string): Promise<PartDownload> {
  return withHeldMailbox(account, ref.folder, ref.uidValidity, async (held) => {
    const message = await held.client.fetchOne(String(ref.uid), { uid: true, bodyStructure: true }, { uid: true });
    if (!message) throw new AppError("MESSAGE_NOT_FOUND");
    const plan = planBody(message.bodyStructure ? toMimeNode(message.bodyStructure) : { type: "text/plain", part: "1" });
    const known = [...plan.attachments, ...[...plan.inlineByCid.values()].map((i) => ({ partId: i.partId, contentType: i.contentType, filename: "" }))];
    const listed = known.find((a) => a.partId === partId);
    if (!listed) throw new AppError("PART_NOT_FOUND");
    // The same name the reader showed, repaired where the server's structure cut it at a space.
    const [named] = listed.filename ? await repairAttachmentNames(held.client, ref.uid, [listed]) : [listed];
    // decodeText: false keeps an attached .txt or .html byte-identical to what was sent.
    const download = await held.client.download(String(ref.uid), partId, {
      uid: true,
      decodeText: false,
      chunkSize: DOWNLOAD_CHUNK_BYTES,
    });
    if (!download.content) throw new AppError("PART_NOT_FOUND");
    return {
      filename: named?.filename || download.meta?.filename || `part-${partId}`,
      contentType: listed.contentType,
      stream: releaseWhenFinished(download.content as Readable, held.done),
    };
  });
}

/** Streams the raw RFC 5322 source of a message, for "View source" and saving as .eml. */
export async function downloadSource(account: MailAccount, ref: MessageRef): Promise<Readable> {
  return withHeldMailbox(account, ref.folder, ref.uidValidity, async (held) => {
    const download = await held.client.download(String(ref.uid), undefined, {
      uid: true,
      chunkSize: DOWNLOAD_CHUNK_BYTES,
    });
    if (!download.content) throw new AppError("MESSAGE_NOT_FOUND");
    return releaseWhenFinished(download.content as Readable, held.done);
  });
}

/** The connection and lock go back to the pool when the stream ends, fails or is destroyed. */
function releaseWhenFinished(stream: Readable, done: () => void): Readable {
  stream.once("close", done);
  stream.once("end", done);
  stream.once("error", done);
  return stream;
}
