import { expect, test, type Page, type Request, type Route } from "@playwright/test";
import { hydrated, signIn, USERS } from "./compose-support";
import { appendMessages, messagesIn, rawClient } from "./imap";

// Issue 14, a click on a message painted: the click itself sends the one request the reader needs —
// the message's JSON, which carries its body's frame document — and a message fetched ahead (the
// pointer rested on its row) opens without any request: all of it from the client's cache.

const BOB = { email: USERS.bob.email, password: USERS.bob.password };
const list = (page: Page) => page.getByRole("region", { name: "Messages", exact: true });
const row = (page: Page, subject: string) => list(page).getByRole("button", { name: new RegExp(`${subject}$|${subject},`) });
const reader = (page: Page) => page.getByRole("region", { name: "Message", exact: true });
const pathOf = (r: Request) => new URL(r.url()).pathname;
const isJson = (uid: string) => (r: Request) => r.method() === "GET" && pathOf(r) === `/api/messages/${uid}`;
const isAboutMessage = (uid: string) => (r: Request) => pathOf(r) === `/api/messages/${uid}` || pathOf(r).startsWith(`/api/messages/${uid}/`);

/** The folder's rows, with React in charge of them: the server's HTML notices no pointer before. */
async function showFolder(page: Page, folder: string, subject: string) {
  await page.goto(`/mail?${new URLSearchParams({ folder, sort: "arrival" })}`);
  await expect(row(page, subject)).toBeVisible();
  await hydrated(page);
}

/** Rests the pointer on a row; resolves once its message, fetched ahead, has arrived. */
async function restOn(page: Page, subject: string, uid: string) {
  const ahead = page.waitForResponse((r) => isJson(uid)(r.request()));
  await row(page, subject).hover();
  await (await ahead).finished();
}

async function withFolder(subjects: string[], run: (folder: string, uidOf: (subject: string) => string) => Promise<void>) {
  const folder = `Open ${Date.now().toString(36)}`;
  const client = await rawClient(BOB);
  await client.mailboxCreate(folder);
  await client.mailboxSubscribe(folder);
  try {
    await appendMessages(client, folder, subjects);
    const byUid = new Map((await messagesIn(client, folder)).map((m) => [String(m.uid), m.subject]));
    await run(folder, (subject) => [...byUid].find(([, s]) => s === subject)![0]);
  } finally {
    await client.mailboxDelete(folder).catch(() => undefined);
    await client.logout();
  }
}

test("a click asks for the message once, and its body shows from that answer", async ({ page }) => {
  await withFolder(["Open cold one", "Open cold two"], async (folder, uidOf) => {
    await signIn(page, BOB);
    await page.goto(`/mail?${new URLSearchParams({ folder, sort: "arrival" })}`);
    await expect(row(page, "Open cold one")).toBeVisible();
    const uid = uidOf("Open cold one");
    const asked: string[] = [];
    page.on("request", (r) => isAboutMessage(uid)(r) && asked.push(`${r.method()} ${pathOf(r)}`));
    // The message's JSON is held: the frame has nothing to wait for but it.
    const held: Route[] = [];
    await page.route(
      (url) => url.pathname === `/api/messages/${uid}`,
      (route) => (route.request().method() === "GET" ? void held.push(route) : void route.continue()),
    );
    await row(page, "Open cold one").click();
    await expect.poll(() => held.length, "the click did not ask for the message").toBe(1);
    // The frame may already be made (while the request is out), but it has no document to show.
    await expect(reader(page).locator('iframe[title="Message body"][srcdoc]')).toHaveCount(0);
    for (const route of held) await route.continue();
    await expect(reader(page).getByRole("heading", { name: "Open cold one" })).toBeVisible();
    await expect(reader(page).frameLocator('iframe[title="Message body"]').getByText("Open cold one")).toBeVisible();
    // Opened is read, once its body is on screen.
    await expect(row(page, "Open cold one")).not.toHaveAccessibleName(/Unread/);
    // One GET for the whole message; the only other request about it is the mark-read.
    await expect.poll(() => asked).toEqual([`GET /api/messages/${uid}`, `PATCH /api/messages/${uid}`]);
  });
});

test("a message fetched ahead opens with no request at all: headers and body from the client's cache", async ({ page }) => {
  await withFolder(["Open ahead one", "Open ahead two"], async (folder, uidOf) => {
    await signIn(page, BOB);
    await showFolder(page, folder, "Open ahead two");
    const uid = uidOf("Open ahead two");
    await restOn(page, "Open ahead two", uid);
    const asked: string[] = [];
    page.on("request", (r) => isAboutMessage(uid)(r) && r.method() === "GET" && asked.push(r.url()));
    await row(page, "Open ahead two").click();
    await expect(reader(page).getByRole("heading", { name: "Open ahead two" })).toBeVisible();
    await expect(reader(page).frameLocator('iframe[title="Message body"]').getByText("Open ahead two")).toBeVisible();
    await expect(row(page, "Open ahead two")).not.toHaveAccessibleName(/Unread/);
    expect(asked, "opening a message fetched ahead asked the server again").toEqual([]);
  });
});

test("an opened message's history entry is written once the message is in, and Back closes it", async ({ page }) => {
  await withFolder(["Open entry one", "Open entry two"], async (folder, uidOf) => {
    await signIn(page, BOB);
    await showFolder(page, folder, "Open entry one");
    const uid = uidOf("Open entry one");
    const held: Route[] = [];
    await page.route(
      (url) => url.pathname === `/api/messages/${uid}`,
      (route) => (route.request().method() === "GET" ? void held.push(route) : void route.continue()),
    );
    await row(page, "Open entry one").click();
    // The reader is there at once, waiting for the message; the URL is not written yet.
    await expect(reader(page).getByRole("status", { name: "Loading message" })).toBeVisible();
    await expect.poll(() => held.length).toBe(1);
    expect(new URL(page.url()).searchParams.get("uid")).toBeNull();
    for (const route of held) await route.continue();
    await expect(reader(page).getByRole("heading", { name: "Open entry one" })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`uid=${uid}`));
    // One entry, a push: Back goes to the folder with no message open.
    await page.goBack();
    await expect(reader(page)).toHaveCount(0);
    expect(new URL(page.url()).searchParams.get("uid")).toBeNull();
    await expect(row(page, "Open entry one")).toBeVisible();
    await page.unrouteAll();
  });
});

test("signing out empties the browser's cache, where a message's parts may be kept", async ({ page }) => {
  await signIn(page, BOB);
  const signedOut = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/auth/signout");
  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  expect(await (await signedOut).headerValue("clear-site-data")).toBe('"cache"');
  await expect(page).toHaveURL(/\/login/);
});

test("the first message opened in a tab, rested on first, shows at once: no loading placeholder in between", async ({ page }) => {
  await withFolder(["Open first one", "Open first two"], async (folder, uidOf) => {
    await signIn(page, BOB);
    await showFolder(page, folder, "Open first one");
    // Resting on the row fetches its message (with its body) and the reader's code.
    await restOn(page, "Open first one", uidOf("Open first one"));
    // Whatever the page shows from the click on that says "Loading message" is recorded.
    await page.evaluate(() => {
      const w = window as unknown as { __placeholders: number };
      w.__placeholders = 0;
      new MutationObserver(() => {
        if (document.querySelector('[role="status"][aria-label="Loading message"]')) w.__placeholders += 1;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await row(page, "Open first one").click();
    await expect(reader(page).getByRole("heading", { name: "Open first one" })).toBeVisible();
    await expect(reader(page).frameLocator('iframe[title="Message body"]').getByText("Open first one")).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __placeholders: number }).__placeholders), "a loading placeholder showed").toBe(0);
  });
});

test("a menu opened while the reader is still loading stays open when the message arrives", async ({ page }) => {
  await withFolder(["Open menu one"], async (folder, uidOf) => {
    const uid = uidOf("Open menu one");
    await signIn(page, BOB);
    await showFolder(page, folder, "Open menu one");
    await row(page, "Open menu one").click();
    await expect(reader(page).getByRole("heading", { name: "Open menu one" })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`uid=${uid}`));
    // Reloaded with the message in the URL: its JSON is held until the menu is open.
    const held: Route[] = [];
    await page.route(
      (url) => url.pathname === `/api/messages/${uid}`,
      (route) => (route.request().method() === "GET" ? void held.push(route) : void route.continue()),
    );
    await page.reload();
    await hydrated(page);
    await expect.poll(() => held.length, "the reader did not ask for its message").toBeGreaterThan(0);
    await list(page).getByRole("button", { name: "Sort" }).click();
    const item = page.getByRole("menuitemcheckbox", { name: "Conversations" });
    await expect(item).toBeVisible();
    for (const route of held) await route.continue();
    await expect(reader(page).getByRole("heading", { name: "Open menu one" })).toBeVisible();
    // The reader took the focus only if nobody was in a menu: this one is still open.
    await expect(item).toBeVisible();
    expect(await page.evaluate(() => !!document.activeElement?.closest('[role="menu"]')), "focus left the menu").toBe(true);
    await page.keyboard.press("Escape");
    await page.unrouteAll();
  });
});

test("a click shows the message in the click's own task, not after the router's transition", async ({ page }) => {
  await withFolder(["Open now one", "Open now two"], async (folder, uidOf) => {
    await signIn(page, BOB);
    await showFolder(page, folder, "Open now two");
    await restOn(page, "Open now one", uidOf("Open now one"));
    // Next.js applies a pushed URL in a transition, rendered in later tasks; the view shows what
    // the click asked for in the click's own task (React renders a click's update before the task
    // ends), so the reader has its heading once the click's microtasks have run.
    const shownInTask = await page.evaluate(async () => {
      const button = [...document.querySelectorAll<HTMLButtonElement>('section[aria-label="Messages"] li button')].find((b) =>
        b.textContent?.includes("Open now one"),
      );
      if (!button) throw new Error("no row");
      button.click();
      for (let i = 0; i < 10; i++) await Promise.resolve();
      const heading = document.querySelector('section[aria-label="Message"] h2, section[aria-label="Message"] h1');
      return heading?.textContent ?? null;
    });
    expect(shownInTask).toContain("Open now one");
    await expect(page).toHaveURL(new RegExp(`uid=${uidOf("Open now one")}`));
    await expect(reader(page).getByRole("heading", { name: "Open now one" })).toBeVisible();
  });
});
