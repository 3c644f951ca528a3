import "server-only";
import type { Pop3Connection } from "./connection";
import { Pop3Error } from "./errors";

/**
 * QUIT (RFC 1939 §6): ends the session; in the TRANSACTION state the server enters UPDATE and
 * removes the messages marked by DELE. "-ERR" here means some marked messages were not removed,
 * so the caller must not count them as gone.
 */
export async function quit(connection: Pop3Connection): Promise<void> {
  try {
    const response = await connection.command("QUIT");
    if (!response.ok) throw new Pop3Error("REFUSED", { serverText: response.text });
    await connection.waitForClose();
  } finally {
    connection.close();
  }
}
