import "server-only";
import { AppError } from "@/lib/errors";
import type { MessageRefData } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { withMailbox } from "./pool";

export interface ThreadHeaders {
  messageId: string | null;
  references: string[];
  /** Raw value of a header Letterbox writes into its own drafts, if asked for. */
  extra: Record<string, string>;
}

function headerValue(block: string, name: string): string | null {
  // Unfold (RFC 5322 §2.2.3) before matching.
  const unfolded = block.replace(/\r?\n[ \t]+/g, " ");
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

/**
 * The threading headers of a message (Message-ID and References) for a reply's In-Reply-To and
 * References (RFC 5322 §3.6.4), plus any of Letterbox's own draft headers that are asked for.
 * Fetches only those header lines, never the body.
 */
export async function readThreadHeaders(account: MailAccount, ref: MessageRefData, extra: string[] = []): Promise<ThreadHeaders> {
  return withMailbox(
    account,
    ref.folder,
    async ({ client }) => {
      const message = await client.fetchOne(
        String(ref.uid),
        { uid: true, envelope: true, headers: ["references", ...extra] },
        { uid: true },
      );
      if (!message) throw new AppError("MESSAGE_NOT_FOUND");
      const block = message.headers?.toString("utf8") ?? "";
      const references = (headerValue(block, "references") ?? "").match(/<[^<>\s]+>/g) ?? [];
      return {
        messageId: message.envelope?.messageId ?? null,
        references,
        extra: Object.fromEntries(extra.map((name) => [name, headerValue(block, name) ?? ""]).filter(([, v]) => v)),
      };
    },
    { expectedUidValidity: ref.uidValidity },
  );
}
