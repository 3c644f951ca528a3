import "server-only";
import { ImapFlow } from "imapflow";
import { serverConfig } from "@/lib/env";

/**
 * A new, not yet connected client. imapflow's own logger is off: it would write protocol lines,
 * and an AUTHENTICATE line carries the password.
 */
export function createImapClient(login: string, password: string, options: { verifyOnly?: boolean; watch?: boolean } = {}): ImapFlow {
  const config = serverConfig();
  if (options.watch) {
    return new ImapFlow({
      host: config.imap.host,
      port: config.imap.port,
      secure: config.imap.secure,
      auth: { user: login, pass: password },
      logger: false,
      // A watching connection lives in IDLE (RFC 2177): entered half a second after its last
      // command, and broken and re-issued every 25 minutes, since servers may drop an IDLE after
      // 30 (RFC 2177 §3: "at least every 29 minutes").
      autoIdleDelay: 500,
      maxIdleTime: 25 * 60_000,
      // QRESYNC (RFC 7162) where offered: expunges arrive as VANISHED with UIDs, and flag changes
      // carry the UID, so the browser can patch the very row instead of refetching.
      qresync: true,
      connectionTimeout: 15_000,
      greetingTimeout: 10_000,
      // Dovecot says "Still here" every 2 minutes in IDLE; silence for 5 means the link is gone.
      socketTimeout: 5 * 60_000,
      clientInfo: { name: "Letterbox" },
      tls: { rejectUnauthorized: !config.tlsInsecure },
    });
  }
  return new ImapFlow({
    host: config.imap.host,
    port: config.imap.port,
    secure: config.imap.secure,
    auth: { user: login, pass: password },
    logger: false,
    verifyOnly: options.verifyOnly,
    // QRESYNC (RFC 7162) where offered, so the list cache learns expunged UIDs (VANISHED) with the
    // flag changes in one FETCH instead of sorting the whole folder again (lib/mail/cache).
    qresync: !options.verifyOnly,
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
