import "server-only";
import type { MailAccount } from "./account";
import { withMailbox } from "./pool";
import { fetchRows } from "./fetch-rows";

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
 * (RFC822.SIZE) is exactly `size`. The candidates come from SEARCH LARGER/SMALLER (RFC 3501
 * §6.4.4) on the size, not SEARCH HEADER: a server with a full-text index may answer HEADER from
 * the index, which leaves out fields it does not index (Dovecot with fts-xapian finds nothing for
 * an X- header), while the size comes from the server's own records. Each candidate's field is then
 * fetched and compared whole.
 */
export async function hasMessageWithHeader(account: MailAccount, folder: string, name: string, value: string, size: number): Promise<boolean> {
  return withMailbox(account, folder, async ({ client }) => {
    const uids = (await client.search({ larger: size - 1, smaller: size + 1 }, { uid: true })) || [];
    if (uids.length === 0) return false;
    const candidates = await fetchRows(client, uids, { uid: true, size: true, headers: [name] }, { uid: true });
    return candidates.some((m) => m.size === size && !!m.headers && headerValues(m.headers, name).includes(value));
  });
}
