import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ImapFlow } from "imapflow";
import { type AppInstance, extraPorts, startInstance } from "./app-instance";
import { signIn } from "./compose-support";

// A server without PREVIEW or SNIPPET (gina's, 127.0.0.4): the list paints without the second
// line, then the browser asks for the snippets of the rows on screen and the row shows it. An app
// instance of its own, since MAIL_IMAP_URL names one server per app.
const [port] = extraPorts();
const url = `http://127.0.0.1:${port}`;
const run = Date.now().toString(36);
const GINA = { email: "gina@example.test", password: "gina-password" };
const subject = `Snippet check ${run}`;
const firstWords = "Tea is at four in the big room, bring the biscuits";
test.use({ baseURL: url });

async function withGina<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const parsed = new URL(process.env.MAIL_IMAP_PLAIN_URL!);
  const client = new ImapFlow({
    host: parsed.hostname,
    port: Number(parsed.port),
    secure: false,
    auth: { user: GINA.email, pass: GINA.password },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

let dataDir: string;
let app: AppInstance | undefined;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  if (!process.env.MAIL_IMAP_PLAIN_URL) throw new Error("MAIL_IMAP_PLAIN_URL missing: start the stack with MAIL_TEST_MODE=1 (npm test does)");
  // Quoted-printable, a long body after the first words: the snippet comes from its start only.
  const body = `${firstWords.replace("four", "f=\r\nour")}.\r\n\r\n${"More notes about the meeting. ".repeat(3000)}\r\n`;
  const message =
    `From: Hana Host <hana@example.test>\r\nTo: gina@example.test\r\nSubject: ${subject}\r\nDate: ${new Date().toUTCString()}\r\n` +
    `Message-ID: <snippet-${run}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `Content-Transfer-Encoding: quoted-printable\r\n\r\n${body}`;
  await withGina((client) => client.append("INBOX", message));
  dataDir = mkdtempSync(path.join(os.tmpdir(), "letterbox-snippets-"));
  app = await startInstance(port, { MAIL_IMAP_URL: process.env.MAIL_IMAP_PLAIN_URL, LETTERBOX_DATA_DIR: dataDir, LETTERBOX_REDIS_URL: "" });
});

test.afterAll(async () => {
  await app?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await withGina(async (client) => {
    const lock = await client.getMailboxLock("INBOX");
    try {
      const uids = (await client.search({ header: { "message-id": `<snippet-${run}@example.test>` } }, { uid: true })) || [];
      if (uids.length) await client.messageDelete(uids, { uid: true });
    } finally {
      lock.release();
    }
  });
});

test("a row on a server without PREVIEW shows its first words as a second line, after the list", async ({ page }) => {
  // The snippets' answer is held back until the list has painted: the rows never wait for it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const asked: string[] = [];
  const snippetsRoute = (u: URL) => u.pathname === "/api/messages/snippets";
  await page.route(snippetsRoute, async (route) => {
    asked.push(route.request().url());
    await held;
    await route.continue();
  });

  await signIn(page, GINA);
  const list = page.getByRole("region", { name: "Messages", exact: true });
  const row = list.getByRole("button", { name: new RegExp(subject) });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText("Tea is at four");
  await expect.poll(() => asked.length).toBeGreaterThan(0);
  // One folder, a screenful of rows at most, by UID: never a body, never a range.
  expect(new URL(asked[0]!).searchParams.get("uids")).toMatch(/^\d+(,\d+)*$/);

  release();
  await expect(row).toContainText(`${firstWords}.`);
  await expect(row).not.toContainText("More notes about the meeting. More notes about the meeting. More notes about the meeting. More notes");

  // Kept on the server: a reload renders the row with its second line already in the HTML.
  await page.unroute(snippetsRoute);
  const html = await (await page.request.get("/mail")).text();
  expect(html).toContain(firstWords);
});
