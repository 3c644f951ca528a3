import "server-only";
import type { Pop3Capabilities } from "./capa";
import type { Pop3Connection } from "./connection";
import { Pop3Error } from "./errors";

/**
 * STLS (RFC 2595 §4): upgrades the connection to TLS before anything secret is sent. When the user
 * asked for STARTTLS and the server does not offer it, this refuses rather than carrying on in
 * plaintext (a man in the middle could strip the capability to read the password).
 */
export async function startTls(connection: Pop3Connection, capabilities: Pop3Capabilities | null): Promise<void> {
  if (!capabilities?.has("STLS")) throw new Pop3Error("TLS_UNAVAILABLE");
  const response = await connection.command("STLS");
  if (!response.ok) throw new Pop3Error("TLS_UNAVAILABLE", { serverText: response.text });
  await connection.upgradeToTls();
}
