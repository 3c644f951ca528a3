import { expect, test, type Page, type Request, type Route } from "@playwright/test";
import { hydrated, signIn, USERS } from "./compose-support";
import { appendMessages, messagesIn, rawClient } from "./imap";

// Issue 14, a click on a message painted: the click itself sends what the reader needs — the
// message's JSON and its body frame at once, not one after the other — and a message fetched ahead
// (the pointer rested on its row) opens without a request: its JSON from the client's cache, its
// body from the browser's, which keeps a body only under the signed-in login's own key.

const BOB = { email: USERS.bob.email, password: USERS.bob.password };
const list = (page: Page) => page.getByRole("region", { name: "Messages", exact: true });
const row = (page: Page, subject: string) => list(page).getByRole("button", { name: new RegExp(`${subject}$|${subject},`) });
const reader = (page: Page) => page.getByRole("region", { name: "Message", exact: true });
const pathOf = (r: Request) => new URL(r.url()).pathname;
const isJson = (uid: string) => (r: Request) => r.method() === "GET" && pathOf(r) === `/api/messages/${uid}`;
const isBody = (uid: string) => (r: Request) => pathOf(r) === `/api/messages/${uid}/body`;

/** The folder's rows, with React in charge of them: the server's HTML notices no pointer before. */
async function showFolder(page: Page, folder: string, subject: string) {
  await page.goto(`/mail?${new URLSearchParams({ folder, sort: "arrival" })}`);
  await expect(row(page, subject)).toBeVisible();
  await hydrated(page);
}

/** Rests the pointer on a row; resolves with its body fetched ahead (the URL with the login's key). */
async function restOn(page: Page, subject: string, uid: string) {
  const ahead = page.waitForResponse((r) => isBody(uid)(r.request()) && new URL(r.url()).searchParams.has("k"));
  await row(page, subject).hover();
  const response = await ahead;
  await response.finished();
  return response;
}

/** The page's resource timing entries of a message's body (one per frame that has loaded it). */
function bodyEntries(page: Page, uid: string) {
  return page.evaluate(
    (path) =>
      performance
        .getEntriesByType("resource")
        .map((e) => e as PerformanceResourceTiming)
        .filter((e) => new URL(e.name).pathname === path)
        .map((e) => ({ url: e.name, transferSize: e.transferSize, decodedBodySize: e.decodedBodySize })),
    `/api/messages/${uid}/body`,
  );
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

test("a click asks for the message and its body frame at once, and the body shows", async ({ page }) => {
  await withFolder(["Open cold one", "Open cold two"], async (folder, uidOf) => {
    await signIn(page, BOB);
    await page.goto(`/mail?${new URLSearchParams({ folder, sort: "arrival" })}`);
    await expect(row(page, "Open cold one")).toBeVisible();
    const uid = uidOf("Open cold one");
    // The message's JSON is held until its body frame has been asked for: opening must not wait
    // for the one to ask for the other.
    const held: Route[] = [];
    await page.route(
      (url) => url.pathname === `/api/messages/${uid}`,
      (route) => (route.request().method() === "GET" ? void held.push(route) : void route.continue()),
    );
    const body = page.waitForRequest(isBody(uid));
    await row(page, "Open cold one").click();
    await expect.poll(() => held.length, "the click did not ask for the message").toBe(1);
    await body;
    for (const route of held) await route.continue();
    await expect(reader(page).getByRole("heading", { name: "Open cold one" })).toBeVisible();
    await expect(reader(page).frameLocator('iframe[title="Message body"]').getByText("Open cold one")).toBeVisible();
    // Opened is read, once its body is on screen.
    await expect(row(page, "Open cold one")).not.toHaveAccessibleName(/Unread/);
  });
});

test("a message fetched ahead opens with no request: its JSON from the client's cache, its body from the browser's", async ({ page }) => {
  await withFolder(["Open ahead one", "Open ahead two"], async (folder, uidOf) => {
    await signIn(page, BOB);
    await showFolder(page, folder, "Open ahead two");
    const uid = uidOf("Open ahead two");
    // Resting on the row fetches its message, then its body (the URL with the login's key).
    const json = page.waitForResponse((r) => isJson(uid)(r.request()));
    const bodyAhead = await restOn(page, "Open ahead two", uid);
    await (await json).finished();
    expect(bodyAhead.headers()["cache-control"]).toBe("private, max-age=600");

    // The frame that fetched it ahead is gone once loaded (and its timing entry written).
    await expect(page.locator('iframe:not([title="Message body"])')).toHaveCount(0);
    const asked: string[] = [];
    page.on("request", (r) => isJson(uid)(r) && asked.push(r.url()));
    await page.evaluate(() => performance.clearResourceTimings());
    await row(page, "Open ahead two").click();
    await expect(reader(page).getByRole("heading", { name: "Open ahead two" })).toBeVisible();
    await expect(reader(page).frameLocator('iframe[title="Message body"]').getByText("Open ahead two")).toBeVisible();
    expect(asked, "opening a message fetched ahead asked for it again").toEqual([]);
    // The reader's frame loaded the very URL fetched ahead, from the browser's cache: nothing
    // crossed the network (a transfer size of 0 with a body is a cache hit).
    const frameEntries = () => bodyEntries(page, uid);
    // A frame's entry is written when it has loaded.
    await expect.poll(async () => (await frameEntries()).length).toBe(1);
    const frames = await frameEntries();
    expect(frames[0]!.url).toBe(bodyAhead.url());
    expect(frames[0]!.transferSize, "the body frame went to the server again").toBe(0);
    expect(frames[0]!.decodedBodySize).toBeGreaterThan(0);
  });
});

test("a body may be kept by the browser only under the signed-in login's own key", async ({ browser, page, baseURL }) => {
  await withFolder(["Open keyed"], async (folder, uidOf) => {
    await signIn(page, BOB);
    const uid = uidOf("Open keyed");
    const query = (extra: Record<string, string> = {}) => new URLSearchParams({ folder, ...extra });
    const list = (await (await page.request.get(`/api/messages?${query({ page: "0", pageSize: "10", sort: "arrival", order: "desc" })}`)).json()) as {
      uidValidity: string;
    };
    const message = (await (await page.request.get(`/api/messages/${uid}?${query({ uidValidity: list.uidValidity })}`)).json()) as { bodyKey?: string };
    expect(message.bodyKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const body = (k?: string) => page.request.get(`/api/messages/${uid}/body?${query({ uidValidity: list.uidValidity, ...(k ? { k } : {}) })}`);

    const keyed = await body(message.bodyKey);
    expect(keyed.status()).toBe(200);
    expect(keyed.headers()["cache-control"]).toBe("private, max-age=600");
    expect(await keyed.text()).toContain("Open keyed");
    // Without the key, or with one that is not Bob's, the body is served but never kept.
    expect((await body()).headers()["cache-control"]).toBe("private, no-store");
    expect((await body(`${message.bodyKey!.slice(0, -2)}AA`)).headers()["cache-control"]).toBe("private, no-store");

    // Alice's key names no body of Bob's: in Bob's session it is just another wrong key.
    const other = await browser.newContext({ baseURL });
    const alice = await other.newPage();
    await signIn(alice, USERS.alice);
    const aliceList = (await (await alice.request.get("/api/messages?folder=INBOX&page=0&pageSize=1&sort=arrival&order=desc")).json()) as {
      uidValidity: string;
      messages: { uid: number }[];
    };
    const aliceMessage = (await (
      await alice.request.get(`/api/messages/${aliceList.messages[0]!.uid}?folder=INBOX&uidValidity=${aliceList.uidValidity}`)
    ).json()) as { bodyKey?: string };
    await other.close();
    expect(aliceMessage.bodyKey).toBeTruthy();
    expect(aliceMessage.bodyKey).not.toBe(message.bodyKey);
    expect((await body(aliceMessage.bodyKey)).headers()["cache-control"]).toBe("private, no-store");
  });
});

test("signing out empties the browser's cache: a body kept before is asked for again after", async ({ page }) => {
  await withFolder(["Open signed out"], async (folder, uidOf) => {
    const uid = uidOf("Open signed out");
    // Rests on the row: the body is fetched ahead, into the browser's cache; its timing entry is
    // written once the frame that fetched it has loaded (and is gone).
    const fetchAhead = async () => {
      await showFolder(page, folder, "Open signed out");
      const response = await restOn(page, "Open signed out", uid);
      await expect.poll(async () => (await bodyEntries(page, uid)).length).toBe(1);
      return { ...(await bodyEntries(page, uid))[0]!, url: response.url() };
    };

    await signIn(page, BOB);
    const first = await fetchAhead();
    expect(first.transferSize, "the first fetch came from the server").toBeGreaterThan(0);
    // Without signing out, the same URL now comes from the cache.
    const again = await fetchAhead();
    expect(again.url).toBe(first.url);
    expect(again.transferSize, "a body fetched ahead was not kept").toBe(0);

    const signedOut = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/auth/signout");
    await page.getByRole("button", { name: "Account" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    expect(await (await signedOut).headerValue("clear-site-data")).toBe('"cache"');
    await expect(page).toHaveURL(/\/login/);

    // The same login again: the same URL, the same key, and yet asked of the server.
    await signIn(page, BOB);
    const after = await fetchAhead();
    expect(after.url).toBe(first.url);
    expect(after.transferSize, "a body kept before sign-out came from the cache").toBeGreaterThan(0);
  });
});

test("the first message opened in a tab, rested on first, shows at once: no loading placeholder in between", async ({ page }) => {
  await withFolder(["Open first one", "Open first two"], async (folder, uidOf) => {
    await signIn(page, BOB);
    await showFolder(page, folder, "Open first one");
    // Resting on the row fetches its message, its body and the reader's code.
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
