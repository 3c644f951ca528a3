import "server-only";
import type { Pop3Connection } from "./connection";
import { Pop3Error } from "./errors";

export interface Pop3MessageSize {
  number: number;
  /** Size in octets as the server will send it with RETR (CRLF line ends, RFC 1939 §5 LIST). */
  size: number;
}

/** LIST (RFC 1939 §5) without an argument: the size of every message not marked deleted. */
export async function listSizes(connection: Pop3Connection): Promise<Pop3MessageSize[]> {
  const response = await connection.command("LIST");
  if (!response.ok) throw new Pop3Error("REFUSED", { serverText: response.text });
  return parseListListing(await connection.readBodyText());
}

export function parseListListing(text: string): Pop3MessageSize[] {
  const sizes: Pop3MessageSize[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    // RFC 1939 §5: a server may append more information after the size; it is ignored.
    const match = /^(\d+) (\d+)(?:\s.*)?$/.exec(line);
    if (!match) throw new Pop3Error("PROTOCOL", { detail: "malformed LIST line" });
    sizes.push({ number: Number(match[1]), size: Number(match[2]) });
  }
  return sizes;
}
