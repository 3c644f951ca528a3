import "server-only";
import type { Pop3Connection } from "./connection";
import { Pop3Error } from "./errors";

// A header section larger than this is not read further; the rest is drained and dropped.
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * TOP n 0 (RFC 1939 §7, optional): the header section of a message without its body — enough to
 * name a message that is too large to fetch, without downloading it.
 */
export async function retrieveHeaders(connection: Pop3Connection, number: number): Promise<Buffer> {
  const response = await connection.command(`TOP ${number} 0`);
  if (!response.ok) throw new Pop3Error("REFUSED", { serverText: response.text });
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of connection.readBody() as AsyncIterable<Buffer>) {
    if (length < MAX_HEADER_BYTES) chunks.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, MAX_HEADER_BYTES);
}
