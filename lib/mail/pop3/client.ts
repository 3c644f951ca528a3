import "server-only";
import type { Readable } from "node:stream";
import { authenticate } from "./authenticate";
import { readCapabilities, type Pop3Capabilities } from "./capa";
import { Pop3Connection } from "./connection";
import { markDeleted } from "./dele";
import { Pop3Error } from "./errors";
import { listSizes, type Pop3MessageSize } from "./list";
import { quit } from "./quit";
import { retrieveMessage, retrieveMessageStream } from "./retr";
import { startTls } from "./stls";
import { retrieveHeaders } from "./top";
import { listUniqueIds, type Pop3UniqueId } from "./uidl";

export type Pop3Security = "tls" | "starttls" | "none";

export interface Pop3ConnectOptions {
  host: string;
  port: number;
  /** "tls": POP3S from the first byte; "starttls": STLS before login, required; "none": plaintext. */
  security: Pop3Security;
  login: string;
  password: string;
  tlsInsecure?: boolean;
  timeoutMs?: number;
}

/**
 * An authenticated POP3 session in the TRANSACTION state (RFC 1939 §5). Close it with `quit()` to
 * commit deletions, or `close()` to drop it with every message kept.
 */
export class Pop3Session {
  constructor(
    private readonly connection: Pop3Connection,
    /** CAPA after login (RFC 2449 §5: it may differ from before), or null without CAPA. */
    readonly capabilities: Pop3Capabilities | null,
  ) {}

  listUniqueIds(): Promise<Pop3UniqueId[]> {
    return listUniqueIds(this.connection);
  }

  listSizes(): Promise<Pop3MessageSize[]> {
    return listSizes(this.connection);
  }

  retrieveStream(number: number): Promise<Readable> {
    return retrieveMessageStream(this.connection, number);
  }

  retrieve(number: number, options: { expectedSize: number; maxBytes: number }): Promise<Buffer> {
    return retrieveMessage(this.connection, number, options);
  }

  /** The header section only (TOP n 0), or null when the server lacks TOP (RFC 2449 CAPA says). */
  async retrieveHeaders(number: number): Promise<Buffer | null> {
    if (this.capabilities && !this.capabilities.has("TOP")) return null;
    return retrieveHeaders(this.connection, number);
  }

  markDeleted(number: number): Promise<void> {
    return markDeleted(this.connection, number);
  }

  quit(): Promise<void> {
    return quit(this.connection);
  }

  close(): void {
    this.connection.close();
  }

  get usable(): boolean {
    return this.connection.usable;
  }
}

/**
 * Connects, reads the greeting, upgrades with STLS when asked (RFC 2595), and logs in (RFC 5034
 * SASL PLAIN, else USER/PASS). Every failure is a Pop3Error with a code a user can act on.
 */
export async function connectPop3(options: Pop3ConnectOptions): Promise<Pop3Session> {
  const connection = await Pop3Connection.open({
    host: options.host,
    port: options.port,
    implicitTls: options.security === "tls",
    tlsInsecure: options.tlsInsecure,
    timeoutMs: options.timeoutMs,
  });
  try {
    // RFC 1939 §4: the greeting is "+OK"; a server that is full or closed answers "-ERR".
    const greeting = await connection.readResponse();
    if (!greeting.ok) throw new Pop3Error("REFUSED", { serverText: greeting.text });
    let capabilities = await readCapabilities(connection);
    if (options.security === "starttls") {
      await startTls(connection, capabilities);
      // RFC 2595 §4: what was learnt before TLS must be discarded and asked again.
      capabilities = await readCapabilities(connection);
    }
    await authenticate(connection, capabilities, options.login, options.password);
    const afterLogin = await readCapabilities(connection);
    return new Pop3Session(connection, afterLogin ?? capabilities);
  } catch (error) {
    connection.close();
    throw error;
  }
}
