import "server-only";
import type { ImapFlow } from "imapflow";
import { filenameFromMimeHeader, mayBeCutFilename, repairCutFilename } from "@/lib/mail/mime/lenient-filename";

// At most this many parts' MIME headers are read per message (a few hundred bytes each).
const MAX_PARTS = 50;

/**
 * Gives attachments whose BODYSTRUCTURE name may have been cut at a space (an unquoted
 * `filename=Yinxiang Motorcycles.doc`, see lib/mail/mime/lenient-filename.ts) the name their own
 * MIME header spells out. Reads `BODY.PEEK[n.MIME]` of those parts only, in one FETCH; a message
 * whose names all have an extension costs nothing. Names never get shorter or change otherwise.
 */
export async function repairAttachmentNames<A extends { partId: string; filename: string }>(
  client: ImapFlow,
  uid: number,
  attachments: A[],
): Promise<A[]> {
  const suspects = attachments.filter((a) => mayBeCutFilename(a.filename) && !/^attachment-[\d.]+\.\w+$/.test(a.filename)).slice(0, MAX_PARTS);
  if (suspects.length === 0) return attachments;
  const message = await client.fetchOne(String(uid), { uid: true, bodyParts: suspects.map((a) => `${a.partId}.MIME`) }, { uid: true });
  const headers = message ? message.bodyParts : undefined;
  if (!headers) return attachments;
  return attachments.map((a) => {
    const header = headers.get(`${a.partId}.mime`) ?? headers.get(`${a.partId}.MIME`);
    if (!header) return a;
    const filename = repairCutFilename(a.filename, filenameFromMimeHeader(header.toString("utf8")));
    return filename === a.filename ? a : { ...a, filename };
  });
}
