import "server-only";
import type { Attachment } from "@/lib/mail/types";
import type { BodyPlan } from "./plan-body";

/**
 * The attachment list once the body has been sanitized: an inline candidate stays inline only if
 * the HTML really showed it (its cid is in `usedCids`); every other candidate is listed as an
 * ordinary attachment, so a part the body never displays cannot be hidden from the reader.
 */
export function finalizeAttachments(plan: BodyPlan, usedCids: ReadonlySet<string>): Attachment[] {
  return plan.attachments.map((attachment) => {
    if (!attachment.inline) return attachment;
    const cid = attachment.contentId;
    const shown =
      cid !== null && usedCids.has(cid) && plan.inlineByCid.get(cid)?.partId === attachment.partId;
    return shown ? attachment : { ...attachment, inline: false };
  });
}
