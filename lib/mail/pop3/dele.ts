import "server-only";
import type { Pop3Connection } from "./connection";
import { Pop3Error } from "./errors";

/**
 * DELE (RFC 1939 §5): marks a message deleted. Nothing is removed until QUIT moves the session to
 * the UPDATE state; a connection that drops before then keeps every message on the server.
 */
export async function markDeleted(connection: Pop3Connection, number: number): Promise<void> {
  const response = await connection.command(`DELE ${number}`);
  if (!response.ok) throw new Pop3Error("REFUSED", { serverText: response.text });
}
