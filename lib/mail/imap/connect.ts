import "server-only";
import { ImapFlow } from "imapflow";
import { serverConfig } from "@/lib/env";

/**
 * A new, not yet connected client. imapflow's own logger is off: it would write protocol lines,
 * and an AUTHENTICATE line carries the password.
 */
export function createImapClient(login: string, password: string, options: { verifyOnly?: boolean } = {}): ImapFlow {
  const config = serverConfig();
  return new ImapFlow({
    host: config.imap.host,
    port: config.imap.port,
    secure: config.imap.secure,
    auth: { user: login, pass: password },
    logger: false,
    verifyOnly: options.verifyOnly,
    // The pool logs idle connections out itself; IDLE would only hold the connection open longer.
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    // Longer than the pool's idle limit, so the pool logs a quiet connection out before the socket
    // timer kills it (which would surface as a connection error).
    socketTimeout: config.imapIdleMs + 90_000,
    clientInfo: { name: "Letterbox" },
    tls: { rejectUnauthorized: !config.tlsInsecure },
  });
}
