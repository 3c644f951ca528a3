import "server-only";
import type { Readable } from "node:stream";
import type { Pop3Connection } from "./connection";
import { Pop3Error } from "./errors";

/**
 * RETR (RFC 1939 §5): the message as a stream, dot-unstuffed and without the terminating line, so
 * it can be passed on without being held whole. Read it to the end before the next command.
 */
export async function retrieveMessageStream(connection: Pop3Connection, number: number): Promise<Readable> {
  const response = await connection.command(`RETR ${number}`);
  if (!response.ok) throw new Pop3Error("REFUSED", { serverText: response.text });
  return connection.readBody();
}

/**
 * RETR into one Buffer, for a consumer that needs the bytes whole (imapflow's APPEND takes a Buffer).
 * The buffer is allocated once at the size LIST gave, so the message is in memory once, not once
 * per chunk plus once joined. `maxBytes` guards against a server whose LIST understated the size:
 * past it the connection is dropped (which deletes nothing, RFC 1939 §6).
 */
export async function retrieveMessage(
  connection: Pop3Connection,
  number: number,
  options: { expectedSize: number; maxBytes: number },
): Promise<Buffer> {
  const stream = await retrieveMessageStream(connection, number);
  let buffer = Buffer.allocUnsafe(Math.min(Math.max(options.expectedSize, 1024), options.maxBytes));
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (length + chunk.length > buffer.length) {
      if (length + chunk.length > options.maxBytes) {
        stream.destroy();
        throw new Pop3Error("PROTOCOL", { detail: `message ${number} is larger than the server's LIST said` });
      }
      const grown = Buffer.allocUnsafe(Math.min(options.maxBytes, Math.max(length + chunk.length, Math.ceil(buffer.length * 1.5))));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    chunk.copy(buffer, length);
    length += chunk.length;
  }
  return buffer.subarray(0, length);
}
