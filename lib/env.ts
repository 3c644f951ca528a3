import "server-only";
import { z } from "zod";

const required = { error: "is not set (see README.md, Configuration)" };

const mailUrl = (schemes: readonly string[]) =>
  z
    .string(required)
    .trim()
    .transform((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: `must be a URL like ${schemes[0]}://host:port` });
        return z.NEVER;
      }
      const scheme = url.protocol.replace(/:$/, "");
      if (!schemes.includes(scheme)) {
        ctx.addIssue({ code: "custom", message: `scheme must be one of ${schemes.join(", ")}` });
        return z.NEVER;
      }
      if (!url.hostname) {
        ctx.addIssue({ code: "custom", message: "needs a host" });
        return z.NEVER;
      }
      return { host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port ? Number(url.port) : null, implicitTls: scheme.endsWith("s") };
    });

const schema = z.object({
  MAIL_IMAP_URL: mailUrl(["imap", "imaps"]),
  MAIL_SMTP_URL: mailUrl(["smtp", "smtps"]),
  MAIL_TLS_INSECURE: z.enum(["0", "1", ""]).default("0"),
  AUTH_SECRET: z.string(required).min(32, "must be at least 32 characters (openssl rand -base64 32)"),
  MAIL_IMAP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(10).default(3),
  MAIL_IMAP_IDLE_MS: z.coerce.number().int().min(1000).default(5 * 60_000),
  // How long a command may wait without a byte from the IMAP server before the connection is taken
  // for gone (lib/mail/imap/limit-server-silence.ts). 30 s: a FETCH, SELECT or STORE that sends
  // nothing for that long comes from a server that has stopped answering, and it is under the 60 s a
  // reverse proxy gives an answer by default (nginx's proxy_read_timeout), so the user reads "not
  // answering" rather than a proxy's 504 page. SEARCH, SORT and THREAD have their own bound (below).
  MAIL_IMAP_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  // The same bound for SEARCH, SORT and THREAD (limit-server-silence.ts): Dovecot answers a word of
  // nearly every message from its full-text index in one silent step of a minute or more on 100,000
  // messages, so these get 5 minutes. A reverse proxy in front must wait as long (docs/deployment.md:
  // proxy_read_timeout 1h).
  MAIL_IMAP_SEARCH_TIMEOUT_MS: z.coerce.number().int().min(500).max(3_600_000).default(300_000),
  MAIL_MAX_MESSAGE_BYTES: z.coerce.number().int().min(64 * 1024).default(25 * 1024 * 1024),
  MAIL_UPLOAD_DIR: z.string().trim().optional(),
  MAIL_POP3_ALLOW_PLAINTEXT: z.enum(["0", "1", ""]).default("0"),
  // The store (lib/store): SQLite under LETTERBOX_DATA_DIR unless LETTERBOX_REDIS_URL is set.
  LETTERBOX_DATA_DIR: z.string().trim().optional(),
  LETTERBOX_REDIS_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^rediss?:\/\/[^/]/.test(v), "must be a URL like redis://127.0.0.1:6379/0 (or rediss:// for TLS)"),
  // Encrypts credentials kept for background work (lib/auth/background-credentials.ts); 32 bytes, base64.
  LETTERBOX_SECRET_KEY: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || Buffer.from(v, "base64").length === 32, "must be 32 random bytes in base64 (openssl rand -base64 32)"),
  // The outbox gives up on a message that could not be sent for this long (default 2 days) and
  // returns it to Drafts with a "not delivered" notice.
  LETTERBOX_OUTBOX_GIVE_UP_HOURS: z.coerce.number().positive().max(24 * 30).default(48),
  // Live updates (lib/mail/live): how long the IDLE connection stays after the last tab closed, and
  // how often other folders' counts are read (LIST-STATUS), in milliseconds.
  LETTERBOX_LIVE_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  LETTERBOX_LIVE_COUNTS_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  // The folder list's header cache (lib/mail/cache) in the store: at most this many MiB per login and
  // in all, least recently used folders evicted first. 0 per login turns the cache off.
  LETTERBOX_LIST_CACHE_MB_PER_LOGIN: z.coerce.number().min(0).max(4096).default(32),
  LETTERBOX_LIST_CACHE_MB: z.coerce.number().min(1).max(1_048_576).default(1024),
  // After a busy spell, once the server has been quiet this long, one full garbage collection gives
  // the spell's garbage back (lib/runtime/release-memory-when-idle.ts); 0 turns it off.
  LETTERBOX_IDLE_GC_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  // Tests only: hosts (host or host:port, comma-separated) the image proxy may fetch from even on
  // loopback or a private network. Honoured only together with MAIL_TEST_MODE=1.
  LETTERBOX_PROXY_ALLOW_HOSTS: z.string().trim().optional(),
  MAIL_TEST_MODE: z.string().trim().optional(),
});

export interface ServerConfig {
  imap: { host: string; port: number; secure: boolean };
  smtp: { host: string; port: number; secure: boolean };
  tlsInsecure: boolean;
  authSecret: string;
  imapMaxConnectionsPerAccount: number;
  imapIdleMs: number;
  /** A command waiting this long without a byte from the IMAP server fails, and its connection is closed. */
  imapCommandTimeoutMs: number;
  /** The silence SEARCH, SORT and THREAD may keep (MAIL_IMAP_SEARCH_TIMEOUT_MS). */
  imapSearchTimeoutMs: number;
  /** Message size limit when the SMTP server advertises no SIZE (RFC 1870). */
  maxMessageBytes: number;
  /** Where uploaded attachments wait until they are sent; "" means the OS temp dir. */
  uploadDir: string;
  /** How long the outbox keeps retrying a message before it gives up, in ms. */
  outboxGiveUpMs: number;
  /** POP3 accounts may use security "none" (the password in plaintext); off unless set. */
  pop3AllowPlaintext: boolean;
  /** Live updates: IDLE kept this long after the last stream closed; folder counts read this often. */
  live: { graceMs: number; countsEveryMs: number };
  /** The list's header cache: byte caps per login (0 = off) and overall. */
  listCache: { maxBytesPerLogin: number; maxBytes: number };
  /** Quiet time after which a grown heap is collected; 0 means never. */
  idleGcMs: number;
  /** Hosts the image proxy fetches from whatever their address (tests only; empty in production). */
  imageProxyAllowHosts: string[];
}

let cached: ServerConfig | undefined;

/**
 * The one server-side configuration, validated once. A bad value stops the app with a message naming
 * the variable, rather than failing later at the first login.
 */
export function serverConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  if (cached && env === process.env) return cached;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Letterbox configuration is invalid:\n${lines.join("\n")}\nSee README.md, "Configuration".`);
  }
  const e = parsed.data;
  const config: ServerConfig = {
    imap: { host: e.MAIL_IMAP_URL.host, port: e.MAIL_IMAP_URL.port ?? (e.MAIL_IMAP_URL.implicitTls ? 993 : 143), secure: e.MAIL_IMAP_URL.implicitTls },
    smtp: { host: e.MAIL_SMTP_URL.host, port: e.MAIL_SMTP_URL.port ?? (e.MAIL_SMTP_URL.implicitTls ? 465 : 587), secure: e.MAIL_SMTP_URL.implicitTls },
    tlsInsecure: e.MAIL_TLS_INSECURE === "1",
    authSecret: e.AUTH_SECRET,
    imapMaxConnectionsPerAccount: e.MAIL_IMAP_MAX_CONNECTIONS,
    imapIdleMs: e.MAIL_IMAP_IDLE_MS,
    imapCommandTimeoutMs: e.MAIL_IMAP_COMMAND_TIMEOUT_MS,
    imapSearchTimeoutMs: e.MAIL_IMAP_SEARCH_TIMEOUT_MS,
    maxMessageBytes: e.MAIL_MAX_MESSAGE_BYTES,
    uploadDir: e.MAIL_UPLOAD_DIR ?? "",
    outboxGiveUpMs: Math.round(e.LETTERBOX_OUTBOX_GIVE_UP_HOURS * 3_600_000),
    pop3AllowPlaintext: e.MAIL_POP3_ALLOW_PLAINTEXT === "1",
    live: { graceMs: e.LETTERBOX_LIVE_GRACE_MS, countsEveryMs: e.LETTERBOX_LIVE_COUNTS_MS },
    listCache: {
      maxBytesPerLogin: Math.round(e.LETTERBOX_LIST_CACHE_MB_PER_LOGIN * 1024 * 1024),
      maxBytes: Math.round(e.LETTERBOX_LIST_CACHE_MB * 1024 * 1024),
    },
    idleGcMs: e.LETTERBOX_IDLE_GC_SECONDS * 1000,
    imageProxyAllowHosts:
      e.MAIL_TEST_MODE === "1" ? (e.LETTERBOX_PROXY_ALLOW_HOSTS ?? "").split(",").map((h) => h.trim()).filter(Boolean) : [],
  };
  if (env === process.env) {
    cached = config;
    if (e.LETTERBOX_PROXY_ALLOW_HOSTS && e.MAIL_TEST_MODE !== "1") {
      console.warn("[letterbox] LETTERBOX_PROXY_ALLOW_HOSTS is ignored: it is honoured only in tests (MAIL_TEST_MODE=1).");
    }
    if (config.tlsInsecure) {
      console.warn("[letterbox] MAIL_TLS_INSECURE=1: accepting self-signed TLS certificates. Local development only.");
    }
  }
  return config;
}
