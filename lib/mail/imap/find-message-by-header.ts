import "server-only";
import type { MailAccount } from "./account";
import { withMailbox } from "./pool";

/** The values of one header field in a block of raw header lines (folded lines joined, RFC 5322 §2.2.3). */
export function headerValues(block: Buffer | string, name: string): string[] {
  const unfolded = block.toString("utf8").replace(/\r?\n[ \t]+/g, " ");
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) values.push(line.slice(colon + 1).trim());
  }
  return values;
}

/**
 * Whether a folder holds a message whose header `name` is exactly `value` and whose size
 * (RFC822.SIZE) is exactly `size`. SEARCH HEADER matches substrings (RFC 3501 §6.4.4), so its
 * answers are only candidates: each one's field is fetched and compared whole.
 */
export async function hasMessageWithHeader(account: MailAccount, folder: string, name: string, value: string, size: number): Promise<boolean> {
  return withMailbox(account, folder, async ({ client }) => {
    const uids = (await client.search({ header: { [name.toLowerCase()]: value } }, { uid: true })) || [];
    if (uids.length === 0) return false;
    // Collected first: no other command may run inside imapflow's fetch loop.
    const candidates: { size?: number; headers?: Buffer }[] = [];
    for await (const message of client.fetch(uids, { uid: true, size: true, headers: [name] }, { uid: true })) candidates.push(message);
    return candidates.some((m) => m.size === size && !!m.headers && headerValues(m.headers, name).includes(value));
  });
}
