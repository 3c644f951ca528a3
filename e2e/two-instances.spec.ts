import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { type AppInstance, extraPorts, startInstance } from "./app-instance";
import { addRecipient, findMessage, openMessage, setUndoWindow, signIn, USERS } from "./compose-support";
import { appendMessages, messagesIn, rawClient } from "./imap";

// Two production instances behind Debian's nginx (round-robin, no sticky sessions), sharing Redis:
// one user, served by both, as if by one. The ports follow scripts/test.sh (REDIS_PORT, NGINX_PORT).
const [portA, portB] = extraPorts();
const nginxPort = Number(process.env.NGINX_PORT ?? 18080);
const redisPort = process.env.REDIS_PORT ?? "24379";
const url = `http://127.0.0.1:${nginxPort}`;
const run = Date.now().toString(36);
test.use({ baseURL: url });

const script = (name: string, command: string, env: Record<string, string> = {}) =>
  execFileSync("bash", [`scripts/${name}/${name}.sh`, command], {
    env: { ...process.env, ...env },
    stdio: "pipe",
  });
const redis = (command: "start" | "stop") => script("redis", command, { REDIS_PORT: redisPort });

let a: AppInstance | undefined;
let b: AppInstance | undefined;
test.beforeAll(async () => {
  redis("start");
  // Database 1: the integration tests use 0.
  const env = { LETTERBOX_REDIS_URL: `redis://127.0.0.1:${redisPort}/1` };
  [a, b] = await Promise.all([startInstance(portA, env), startInstance(portB, env)]);
  script("nginx", "start", {
    NGINX_PORT: String(nginxPort),
    NGINX_UPSTREAMS: `127.0.0.1:${portA} 127.0.0.1:${portB}`,
  });
});
test.afterAll(async () => {
  redis("start");
  script("nginx", "stop", { NGINX_PORT: String(nginxPort) });
  await Promise.all([a?.stop(), b?.stop()]);
});

const served = (instance: AppInstance | undefined) =>
  (instance?.output().match(/\[letterbox\] (GET|POST|PATCH|DELETE) \/api\//g) ?? []).length;
const list = (page: Page) => page.getByRole("region", { name: "Messages", exact: true });

test("two instances behind nginx serve one user as one, and one going away is barely noticed", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const subjects = [1, 2, 3].map((n) => `Two instances ${run} #${n}`);
  const raw = await rawClient(USERS.erin);
  await appendMessages(raw, "INBOX", subjects);

  // Sign in, browse, read.
  await signIn(page, USERS.erin);
  // Sent through the outbox: no undo window, so "Sent" follows Send (Undo is e2e/outbox.spec.ts's).
  await setUndoWindow(page, 0);
  await openMessage(page, subjects[0]!);

  // Send with an attachment: uploaded through one instance, sent through whichever gets the send.
  const attachment = Buffer.from(`attached through nginx ${run}\n`.repeat(2000));
  await page.getByRole("button", { name: "Compose" }).click();
  let composer = page.getByRole("region", { name: "New message" });
  await addRecipient(page, "To", "alice@example.test");
  await composer.getByLabel("Subject").fill(`Through nginx ${run}`);
  await page.getByRole("textbox", { name: "Message" }).click();
  await page.keyboard.type("Sent through two instances.");
  await composer
    .getByLabel("Attach files")
    .setInputFiles({ name: "balanced.txt", mimeType: "text/plain", buffer: attachment });
  await expect(composer.getByRole("list", { name: "Attachments" }).getByRole("listitem")).toHaveCount(1);
  await expect(composer.getByRole("list", { name: "Attachments" }).getByRole("progressbar")).toHaveCount(0, {
    timeout: 30_000,
  });
  await composer.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByRole("status").getByText("Sent", { exact: true })).toBeVisible();
  const atAlice = await findMessage(USERS.alice, "INBOX", `Through nginx ${run}`);
  expect(atAlice?.parsed.attachments.map((f) => f.content.equals(attachment))).toEqual([true]);

  // Save a draft.
  await page.getByRole("button", { name: "Compose" }).click();
  composer = page.getByRole("region", { name: "New message" });
  await addRecipient(page, "To", "carol@example.test");
  await composer.getByLabel("Subject").fill(`Draft through nginx ${run}`);
  await page.getByRole("textbox", { name: "Message" }).click();
  await page.keyboard.type("Unfinished.");
  await expect(composer.getByRole("status", { name: "Draft status" })).toHaveText("Saved", {
    timeout: 15_000,
  });
  await composer.getByRole("button", { name: "Close" }).click();
  await expect(composer).toBeHidden();
  expect(await findMessage(USERS.erin, "Drafts", `Draft through nginx ${run}`, 5000)).not.toBeNull();

  // Move a message.
  await list(page).getByRole("listitem").filter({ hasText: subjects[1]! }).getByRole("checkbox").click();
  await page
    .getByRole("toolbar", { name: "Message actions" })
    .getByRole("button", { name: "Archive" })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Archived: 1 message" })).toBeVisible();
  await expect
    .poll(async () => (await messagesIn(raw, "Archive")).some((m) => m.subject === subjects[1]))
    .toBe(true);

  // Both instances served this user's requests (their own logs say so).
  expect(served(a)).toBeGreaterThan(2);
  expect(served(b)).toBeGreaterThan(2);

  // One instance goes away (a deploy, a crash): the user goes on, still signed in. nginx retries a
  // GET that could not reach it on the other; at most one request fails and is tried again.
  await a!.stop();
  const before = served(b);
  let tries = 0;
  await expect(async () => {
    tries++;
    await page.getByRole("button", { name: "Refresh" }).click();
    await list(page)
      .getByRole("button", { name: new RegExp(subjects[2]!) })
      .first()
      .click();
    await expect(
      page.getByRole("region", { name: "Message", exact: true }).getByRole("heading", { name: subjects[2]! }),
    ).toBeVisible({
      timeout: 3000,
    });
  }).toPass({ timeout: 20_000, intervals: [500] });
  expect(tries).toBeLessThanOrEqual(2);
  await expect(page).toHaveURL(/\/mail/);
  expect(served(b)).toBeGreaterThan(before);
  for (let i = 0; i < 4; i++) expect((await page.request.get("/api/folders")).status()).toBe(200);

  // Redis goes away: requests fail with a clear error and change nothing; when it is back, the
  // same session goes on (Redis keeps its data in an append-only file).
  redis("stop");
  const down = await page.request.get("/api/folders");
  expect(down.status()).toBe(503);
  expect((await down.json()).error.message).toContain("The session store is unavailable");
  redis("start");
  await expect
    .poll(async () => (await page.request.get("/api/folders")).status(), { timeout: 20_000 })
    .toBe(200);
  await raw.logout();
});
