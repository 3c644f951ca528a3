import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { type AppInstance, extraPorts, startInstance } from "./app-instance";
import { findMessage, signIn, USERS, withImap } from "./compose-support";

// One default instance (SQLite under its own data folder), restarted as a deploy restarts it.
const [port] = extraPorts();
const url = `http://127.0.0.1:${port}`;
const run = Date.now().toString(36);
test.use({ baseURL: url });

let dataDir: string;
let app: AppInstance | undefined;
test.beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "letterbox-restart-"));
});
test.afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = () => startInstance(port, { LETTERBOX_DATA_DIR: dataDir, LETTERBOX_REDIS_URL: "" });

async function countWithSubject(user: (typeof USERS)[keyof typeof USERS], folder: string, subject: string): Promise<number> {
  return withImap(user, async (client) => {
    const lock = await client.getMailboxLock(folder);
    try {
      return ((await client.search({ subject }, { uid: true })) || []).length;
    } finally {
      lock.release();
    }
  });
}

test("after a restart the browser goes on signed in, the address book still suggests, and a retried send is not sent twice", async ({
  page,
}) => {
  test.setTimeout(120_000);
  app = await start();
  await signIn(page, USERS.alice);

  // A send before the restart: it teaches the address book a name, and its key is retried after.
  const subject = `Sent once across a restart ${run}`;
  const send = {
    to: [{ name: "Carol Restartwell", address: "carol@example.test" }],
    subject,
    format: "html",
    body: "<p>Only once, please.</p>",
    idempotencyKey: randomUUID(),
  };
  const first = await page.request.post("/api/send", { data: send, headers: { Origin: url } });
  expect(first.status()).toBe(200);
  const firstResult = await first.json();
  expect(firstResult.accepted).toEqual(["carol@example.test"]);

  await app.stop();
  app = await start();

  // The same tab, reloaded: still signed in, the mailbox is there.
  await page.reload();
  await expect(page).toHaveURL(/\/mail/);
  await expect(page.getByRole("region", { name: "Messages", exact: true }).getByRole("listitem").first()).toBeVisible();

  // The address book remembers Carol by the name it learned.
  await page.getByRole("button", { name: "Compose" }).click();
  const composer = page.getByRole("region", { name: "New message" });
  await composer.getByRole("combobox", { name: "To", exact: true }).fill("Restartw");
  await expect(page.getByRole("listbox", { name: "Suggestions for To" }).getByRole("option", { name: /Carol Restartwell/ })).toBeVisible();

  // The retry (a browser that never saw the first answer) gets the first send's result, not a second send.
  const again = await page.request.post("/api/send", { data: send, headers: { Origin: url } });
  expect(again.status()).toBe(200);
  expect((await again.json()).messageId).toBe(firstResult.messageId);
  expect(await findMessage(USERS.carol, "INBOX", subject)).not.toBeNull();
  expect(await countWithSubject(USERS.alice, "Sent", subject)).toBe(1);
  expect(await countWithSubject(USERS.carol, "INBOX", subject)).toBe(1);
});
