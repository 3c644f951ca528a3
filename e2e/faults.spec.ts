import { randomBytes } from "node:crypto";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { pidListeningOn, signIn, USERS } from "./compose-support";
import { imapConnectionPortsOf, mailStack, rawClient } from "./imap";

// Faults injected into the project's own mail stack while the real app serves a real browser.
const BOB = USERS.bob;
const run = randomBytes(3).toString("hex");
const port = Number(process.env.E2E_PORT ?? 3100);

test("a download cut in the middle fails in the browser's hands, and the next one arrives whole", async ({ page }) => {
  test.setTimeout(120_000);
  const folder = `Faults big ${run}`;
  const raw = await rawClient(BOB);
  let uid: number;
  let uidValidity: string;
  try {
    await raw.mailboxCreate(folder);
    mailStack("fill", "--big-attachment", BOB.email, folder);
    const lock = await raw.getMailboxLock(folder);
    try {
      uid = ((await raw.search({ all: true }, { uid: true })) || [])[0]!;
      uidValidity = String(raw.mailbox && raw.mailbox.uidValidity);
    } finally {
      lock.release();
    }
  } finally {
    await raw.logout();
  }

  await signIn(page, BOB);
  const query = new URLSearchParams({ folder, uidValidity, remote: "0" });
  const message = (await (await page.request.get(`/api/messages/${uid}?${query}`)).json()) as {
    attachments: { partId: string; filename: string; size: number }[];
  };
  const partId = message.attachments.find((a) => a.filename === "big.bin")!.partId;
  const url = `/api/messages/${uid}/parts/${encodeURIComponent(partId)}?${new URLSearchParams({ folder, uidValidity, download: "1" })}`;
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const appPid = pidListeningOn(port);
  expect(appPid).not.toBeNull();

  // What a browser's download sees: the body as it streams. After the first bytes the server-side
  // imap processes of the app's connections are killed.
  let kills = 0;
  const outcome = await new Promise<{ received: number; complete: boolean; status: number }>((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path: url, headers: { cookie } }, (response) => {
      let received = 0;
      let killed = false;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (!killed) {
          killed = true;
          // Hold the reading, as a slow network would, so the transfer is still under way.
          response.pause();
          // Some of the app's connections may be closing or not yet logged in; one killed is enough.
          const ports = imapConnectionPortsOf(appPid!);
          console.info(`[faults] app pid ${appPid}, IMAP connection ports ${ports.join(",")}`);
          for (const p of ports) {
            try {
              mailStack("imap-kill", String(p));
              kills += 1;
            } catch (error) {
              // no imap process behind that connection (any more)
              console.info(`[faults] imap-kill ${p}: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
            }
          }
          response.resume();
        }
      });
      // A chunked body cut without its last chunk is "aborted": the browser marks the download failed.
      response.on("end", () => resolve({ received, complete: response.complete, status: response.statusCode ?? 0 }));
      response.on("error", () => resolve({ received, complete: false, status: response.statusCode ?? 0 }));
    });
    request.on("error", () => resolve({ received: -1, complete: false, status: 0 }));
  });
  expect(outcome, url).toMatchObject({ status: 200 });
  expect(kills).toBeGreaterThan(0);
  expect(outcome.received).toBeGreaterThan(0);
  expect(outcome.received).toBeLessThan(25 * 1024 * 1024);
  expect(outcome.complete).toBe(false);

  // The next download, in the browser itself, arrives whole.
  const downloading = page.waitForEvent("download");
  await page.evaluate((href) => {
    const a = document.createElement("a");
    a.href = href;
    a.download = "";
    document.body.append(a);
    a.click();
  }, url);
  const download = await downloading;
  expect(await download.failure()).toBeNull();
  const path = await download.path();
  const { statSync } = await import("node:fs");
  expect(statSync(path).size).toBe(25 * 1024 * 1024);
});

test("Dovecot stopped while a user browses: the list says so, and works again without signing in", async ({ page }) => {
  await signIn(page, BOB);
  const list = page.getByRole("region", { name: "Messages", exact: true });
  await expect(list.getByRole("listitem").first()).toBeVisible();
  mailStack("imap-stop");
  try {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(list.getByText("The mail server cannot be reached")).toBeVisible();
  } finally {
    mailStack("imap-start");
  }
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(list.getByText("The mail server cannot be reached")).toBeHidden();
  await expect(list.getByRole("listitem").first()).toBeVisible();
  await expect(page).toHaveURL(/\/mail/);
});

test("the sign-in throttle is reached through the sign-in form, and holds for the right password too", async ({ browser }) => {
  test.setTimeout(120_000);
  // One client of its own (its address as a proxy would pass it), so other tests' sign-ins are not throttled.
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": `198.51.100.${1 + (parseInt(run, 16) % 250)}` } });
  const page = await context.newPage();
  const login = `guess-${run}@example.test`;
  await page.goto("/login");
  const alert = page.getByRole("alert").filter({ hasText: /password is wrong|Too many sign-in attempts/ });
  let attempts = 0;
  for (;;) {
    await page.getByLabel("Email").fill(login);
    await page.getByLabel("Password").fill(`guess ${attempts}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    attempts += 1;
    await expect(alert).toHaveText(/password is wrong|Too many sign-in attempts/);
    if (/Too many/.test((await alert.textContent()) ?? "")) break;
    expect(attempts).toBeLessThan(30);
    // The next attempt starts from a cleared message, so the wait above sees its own answer.
    await page.reload();
  }
  expect(attempts).toBeGreaterThan(1);
  // From this client even the right password waits now: the throttle answers before the server.
  await page.reload();
  await page.getByLabel("Email").fill(BOB.email);
  await page.getByLabel("Password").fill(BOB.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /Too many sign-in attempts/ })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await context.close();
});
