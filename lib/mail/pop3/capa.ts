import "server-only";
import type { Pop3Connection } from "./connection";

/** Capability name (upper case) → its arguments, e.g. "SASL" → ["PLAIN", "LOGIN"]. */
export type Pop3Capabilities = Map<string, string[]>;

/**
 * CAPA (RFC 2449 §5): what the server supports. A server that predates it answers -ERR; that is
 * not a failure, it only means nothing beyond RFC 1939 may be assumed (null).
 */
export async function readCapabilities(connection: Pop3Connection): Promise<Pop3Capabilities | null> {
  const response = await connection.command("CAPA");
  if (!response.ok) return null;
  const capabilities: Pop3Capabilities = new Map();
  for (const line of (await connection.readBodyText()).split(/\r?\n/)) {
    const [name, ...args] = line.trim().split(/\s+/);
    if (name) capabilities.set(name.toUpperCase(), args);
  }
  return capabilities;
}
