import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ImapFlow } from "imapflow";
import { accountFor, requireStackEnv } from "./support";

// Snippets where the server offers no preview (issue 14, "Snippets"): gina's server on 127.0.0.4
// has neither PREVIEW (RFC 8970) nor SNIPPET, so the list answers without a second line and the
// browser asks GET /api/messages/snippets for the rows on screen. Each snippet comes from a
// partial fetch of the text part: a 5 MB message costs a few kilobytes.
requireStackEnv();
const run = randomBytes(3).toString("hex");
const gina = { login: "gina@example.test", password: "gina-password" };
const folder = `Snippets ${run}`;

const FIVE_MB = 5 * 1024 * 1024;

function header(subject: string, contentType: string, extra = ""): string {
  return (
    `From: Ann Sender <ann@example.test>\r\nTo: gina@example.test\r\nSubject: ${subject}\r\n` +
    `Date: ${new Date().toUTCString()}\r\nMessage-ID: <${randomBytes(6).toString("hex")}@example.test>\r\n` +
    `MIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n${extra}`
  );
}

/** A 5 MB plain-text message, base64 in 76-character lines, whose first words are known. */
function hugeMessage(): string {
  const text = "Quarterly numbers are in: revenue up, costs down. Details follow below.\r\n" + "lorem ipsum dolor sit amet ".repeat(FIVE_MB / 27);
  const base64 = Buffer.from(text).toString("base64").replace(/(.{76})/g, "$1\r\n");
  return `${header("Huge report", "text/plain; charset=utf-8", "Content-Transfer-Encoding: base64\r\n")}\r\n${base64}\r\n`;
}

/** Plain text in ISO-8859-1, quoted-printable, beside an HTML alternative; a reply with a quote. */
function alternativeMessage(): string {
  const boundary = `b-${run}`;
  return (
    `${header("Lunch", `multipart/alternative; boundary="${boundary}"`)}\r\n` +
    `--${boundary}\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n` +
    `Caf=E9 at noon suits me, see you th=\r\nere.\r\n\r\nOn Monday, Ann wrote:\r\n> Lunch tomorrow?\r\n\r\n-- \r\nGina\r\n` +
    `--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML alternative, not the snippet</p>\r\n--${boundary}--\r\n`
  );
}

/** HTML only, with a head of CSS and a script before the words. */
function htmlMessage(): string {
  const html =
    `<html><head><style>${".c{color:red}".repeat(200)}</style><script>alert("x")</script></head>` +
    `<body><p>Your <b>order</b> has shipped &amp; will arrive <a href="https://tracker.example/t">Friday</a>.</p></body></html>`;
  return `${header("Shipping", "text/html; charset=utf-8")}\r\n${html}\r\n`;
}

/** Nothing to read: one image. */
function imageMessage(): string {
  return `${header("Just a picture", "image/png", "Content-Transfer-Encoding: base64\r\n")}\r\n${randomBytes(300).toString("base64")}\r\n`;
}

async function rawAt(url: string): Promise<ImapFlow> {
  const parsed = new URL(url);
  const client = new ImapFlow({
    host: parsed.hostname,
    port: Number(parsed.port),
    secure: false,
    auth: { user: gina.login, pass: gina.password },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

describe("snippets on a server without PREVIEW or SNIPPET", () => {
  const defaultUrl = process.env.MAIL_IMAP_URL;
  let raw: ImapFlow;
  let app: Awaited<ReturnType<typeof load>>;
  let uidValidity = "";
  const uids: Record<"huge" | "lunch" | "shipping" | "picture", number> = { huge: 0, lunch: 0, shipping: 0, picture: 0 };

  /** The app's functions against gina's server: a module graph of their own. */
  async function load(url: string) {
    process.env.MAIL_IMAP_URL = url;
    vi.resetModules();
    return {
      account: accountFor(gina),
      ...(await import("@/lib/mail/imap/list-messages")),
      ...(await import("@/lib/mail/imap/fetch-text-snippets")),
      ...(await import("@/lib/mail/snippets/get-snippets")),
      ...(await import("@/lib/mail/cache/cached-snippets")),
      ...(await import("@/lib/mail/imap/pool")),
      store: await (await import("@/lib/store")).getStore(),
    };
  }

  beforeAll(async () => {
    const url = process.env.MAIL_IMAP_PLAIN_URL;
    if (!url) throw new Error("MAIL_IMAP_PLAIN_URL missing: start the stack with MAIL_TEST_MODE=1 (npm test does)");
    raw = await rawAt(url);
    await raw.mailboxCreate(folder);
    for (const message of [hugeMessage(), alternativeMessage(), htmlMessage(), imageMessage()]) await raw.append(folder, message);
    // No UIDPLUS here, so APPEND does not say the UIDs: found by subject.
    const lock = await raw.getMailboxLock(folder);
    try {
      const bySubject: Record<string, keyof typeof uids> = { "Huge report": "huge", Lunch: "lunch", Shipping: "shipping", "Just a picture": "picture" };
      for await (const m of raw.fetch("1:*", { uid: true, envelope: true })) {
        const name = bySubject[m.envelope?.subject ?? ""];
        if (name) uids[name] = m.uid;
      }
    } finally {
      lock.release();
    }
    const status = await raw.status(folder, { uidValidity: true });
    if (!status || status.uidValidity === undefined) throw new Error(`no STATUS of ${folder}`);
    uidValidity = String(status.uidValidity);
    app = await load(url);
  });

  afterAll(async () => {
    await raw.mailboxDelete(folder).catch(() => undefined);
    await raw.logout();
    await app.closeAccountConnections(app.account.key);
    process.env.MAIL_IMAP_URL = defaultUrl;
  });

  it("is a server without a preview of its own", () => {
    expect(raw.capabilities.has("PREVIEW")).toBe(false);
    expect(raw.capabilities.has("SNIPPET=FUZZY")).toBe(false);
  });

  it("reads each snippet from a partial fetch: a 5 MB message costs kilobytes", async () => {
    const lock = await raw.getMailboxLock(folder);
    try {
      const huge = await raw.fetchOne(String(uids.huge), { size: true }, { uid: true });
      expect(huge && huge.size).toBeGreaterThan(FIVE_MB);
      // Every byte the server sends on this connection is counted (imapflow's own counter).
      raw.stats(true);
      const snippets = await app.fetchTextSnippets(raw, [uids.huge, uids.lunch, uids.shipping, uids.picture]);
      const received = raw.stats().received;
      // BODYSTRUCTURE of four messages, 4 KB of the huge one's text, the small ones whole.
      expect(received).toBeLessThan(32 * 1024);
      expect(snippets.get(uids.huge)).toMatch(/^Quarterly numbers are in: revenue up, costs down\. Details follow below\. lorem ipsum/);
      expect(snippets.get(uids.huge)!.endsWith("…")).toBe(true);
      expect(snippets.get(uids.lunch)).toBe("Café at noon suits me, see you there.");
      expect(snippets.get(uids.shipping)).toBe("Your order has shipped & will arrive Friday.");
      expect(snippets.get(uids.picture)).toBe("");
      // BODY.PEEK: reading a snippet never marks a message read.
      for await (const m of raw.fetch(Object.values(uids).join(","), { uid: true, flags: true }, { uid: true })) {
        expect(m.flags?.has("\\Seen")).toBe(false);
      }
    } finally {
      lock.release();
    }
  });

  it("lists without snippets first, then answers the rows' snippets quickly and keeps them in the header cache", async () => {
    const first = await app.listMessages(app.account, { folder, page: 0, pageSize: 50 });
    expect(first.messages).toHaveLength(4);
    // The first page did not wait for bodies: no second line yet.
    expect(first.messages.every((m) => m.preview === null)).toBe(true);

    const started = performance.now();
    const answer = await app.getSnippets(app.account, { folder, uidValidity, uids: Object.values(uids) });
    const elapsed = performance.now() - started;
    expect(answer[String(uids.huge)]).toMatch(/^Quarterly numbers are in/);
    expect(answer[String(uids.lunch)]).toBe("Café at noon suits me, see you there.");
    expect(answer[String(uids.picture)]).toBe("");
    // Far less than downloading 5 MB and decoding it would take on a loaded machine; the byte
    // count above is the proof of partiality, this bounds the route's whole path.
    expect(elapsed).toBeLessThan(3000);

    // Kept in the folder's cached rows: the list now answers with them, without asking again.
    const cached = await app.readCachedSnippets(app.store, app.account.login, folder, uidValidity, Object.values(uids));
    expect(cached.get(uids.shipping)).toBe("Your order has shipped & will arrive Friday.");
    const again = await app.listMessages(app.account, { folder, page: 0, pageSize: 50 });
    expect(again.messages.find((m) => m.uid === uids.lunch)?.preview).toBe("Café at noon suits me, see you there.");
    expect(again.messages.find((m) => m.uid === uids.picture)?.preview).toBe("");
  });

  it("refuses UIDs of a folder that was replaced", async () => {
    await expect(app.getSnippets(app.account, { folder, uidValidity: "1", uids: [uids.lunch] })).rejects.toMatchObject({ code: "FOLDER_CHANGED" });
  });
});
