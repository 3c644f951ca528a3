import { expect, test, type Page, type Request, type Route } from "@playwright/test";
import { signIn, USERS } from "./compose-support";
import { appendMessages, messagesIn, rawClient } from "./imap";

// Issue 14, the first paint: the mail page's HTML carries the folder tree and the first page of
// rows, the client takes them over without asking again, and the message under the pointer or the
// keyboard cursor is fetched ahead of the click — never marked read by it.

const BOB = { email: USERS.bob.email, password: USERS.bob.password };
const list = (page: Page) => page.getByRole("region", { name: "Messages", exact: true });
const rows = (page: Page) => list(page).getByRole("list").getByRole("listitem");
// The list's own requests: a page of a folder or of its conversations (not one message, not uids).
const isListRequest = (r: Request) => /^\/api\/(messages|conversations)$/.test(new URL(r.url()).pathname);
// The reader's request for one message (GET, JSON): not its body frame or parts, nor marking it read.
const messageUid = (r: Request) => (r.method() === "GET" ? (/^\/api\/messages\/(\d+)$/.exec(new URL(r.url()).pathname)?.[1] ?? null) : null);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
  await test.info().attach(name, { path: test.info().outputPath(`${name}.png`), contentType: "image/png" });
}

test("the first rows and the folder tree are in the server's HTML, and show without JavaScript", async ({ page, browser }) => {
  await signIn(page, USERS.alice);
  // What the client would ask for: Alice's Inbox in the conversation view (the default setting).
  const api = await page.request.get("/api/conversations?folder=INBOX&page=0&pageSize=50&order=desc");
  const first = (await api.json()) as { messages: { subject: string }[] };
  expect(first.messages.length).toBeGreaterThan(0);
  const html = await (await page.request.get("/mail")).text();
  for (const m of first.messages.slice(0, 5)) expect(html).toContain(m.subject.replace(/&/g, "&amp;").replace(/</g, "&lt;"));
  expect(html).toMatch(/aria-label="Messages in Inbox"/);
  expect(html).toMatch(/<nav[^>]*aria-label="Folders"/);

  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const bare = await noScript.newPage();
  await bare.goto("/mail");
  await expect(rows(bare).first().getByRole("button", { name: new RegExp(first.messages[0]!.subject.slice(0, 20)) })).toBeVisible();
  // The folder tree's links are links: without script, one loads that folder's page, rendered too.
  await bare.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: /^Sent/ }).click();
  await expect(bare).toHaveURL(/folder=Sent/);
  await expect(bare.getByRole("list", { name: "Messages in Sent" })).toBeAttached();
  await noScript.close();
});

test("hydration takes the server's rows over in place: no request for the first page, no hydration error", async ({ page }) => {
  await signIn(page, USERS.alice);
  const listRequests: string[] = [];
  const problems: string[] = [];
  page.on("request", (r) => isListRequest(r) && listRequests.push(r.url()));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  // The first row as the HTML parser made it: hydration must keep that very element.
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      const row = document.querySelector('ul[aria-label^="Messages in"] li');
      if (row) {
        (window as unknown as { firstRow: Element }).firstRow = row;
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  // The live stream's first `ready` reads the folder counts again (catch-up): once that answer is
  // in, everything the first visit does has been done.
  const catchUp = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/folders");
  await page.goto("/mail");
  await catchUp;
  await expect(rows(page).first()).toBeVisible();
  // A round trip after the catch-up: a list refetch it started would have been sent by now.
  await page.evaluate(() => fetch("/api/settings").then((r) => r.ok));
  expect(listRequests, "the first page was fetched again").toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { firstRow?: Element }).firstRow?.isConnected)).toBe(true);
  expect(problems.filter((p) => /hydrat|did not match|Minified React error/i.test(p))).toEqual([]);

  // The client is in charge now: another folder is fetched by it.
  await page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: /^Sent/ }).click();
  await expect.poll(() => listRequests.length).toBeGreaterThan(0);
});

test("a mail server that is away costs the page its rows, not the page: the shell renders and the list says why", async ({ page }) => {
  await signIn(page, BOB);
  const { mailStack } = await import("./imap");
  mailStack("imap-stop");
  try {
    const response = await page.goto("/mail");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("button", { name: "Compose" })).toBeVisible();
    await expect(list(page).getByText("The mail server cannot be reached")).toBeVisible();
  } finally {
    mailStack("imap-start");
  }
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(rows(page).first()).toBeVisible();
});

test("the message under the pointer or the cursor is fetched ahead, one at a time, cancelled on moving on, and not marked read", async ({ page }) => {
  const folder = `Prefetch ${Date.now().toString(36)}`;
  const client = await rawClient(BOB);
  await client.mailboxCreate(folder);
  await client.mailboxSubscribe(folder);
  await appendMessages(client, folder, ["Prefetch one", "Prefetch two", "Prefetch three", "Prefetch four"]);
  const byUid = new Map((await messagesIn(client, folder)).map((m) => [String(m.uid), m.subject]));
  const uidOf = (subject: string) => [...byUid].find(([, s]) => s === subject)![0];

  try {
    await signIn(page, BOB);
    // Arrival order lists messages one by one (conversations need date order).
    await page.goto(`/mail?${new URLSearchParams({ folder, sort: "arrival" })}`);
    const row = (subject: string) => list(page).getByRole("button", { name: new RegExp(`${subject}$|${subject},`) });
    await expect(row("Prefetch four")).toBeVisible();

    const asked: string[] = [];
    const failed: string[] = [];
    page.on("request", (r) => {
      const uid = messageUid(r);
      if (uid) asked.push(uid);
    });
    page.on("requestfailed", (r) => {
      const uid = messageUid(r);
      if (uid) failed.push(uid);
    });

    // Held: the request for "one" stays in flight until the pointer has moved on.
    const held: Route[] = [];
    await page.route(
      (url) => url.pathname === `/api/messages/${uidOf("Prefetch one")}`,
      (route) => void held.push(route),
    );
    await row("Prefetch one").hover();
    await expect.poll(() => asked).toEqual([uidOf("Prefetch one")]);
    await row("Prefetch two").hover();
    await expect.poll(() => failed).toEqual([uidOf("Prefetch one")]);
    await expect.poll(() => asked).toEqual([uidOf("Prefetch one"), uidOf("Prefetch two")]);
    await page.unrouteAll({ behavior: "ignoreErrors" });
    for (const route of held) await route.abort().catch(() => undefined);

    // Resting on "two" lets its prefetch finish.
    const finished = (subject: string) =>
      expect
        .poll(async () => (await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name))).some((n) => n.includes(`/api/messages/${uidOf(subject)}?`)))
        .toBe(true);
    await finished("Prefetch two");

    // The keyboard cursor: on "four", j moves it to "three", whose message is fetched ahead.
    await row("Prefetch four").focus();
    await page.keyboard.press("j");
    await expect(row("Prefetch three")).toBeFocused();
    await expect.poll(() => asked.includes(uidOf("Prefetch three")), "j fetched nothing ahead").toBe(true);
    await finished("Prefetch three");

    // The click on a message fetched ahead needs no request of its own.
    const before = asked.length;
    await row("Prefetch two").click();
    await expect(page.getByRole("region", { name: "Message", exact: true }).getByRole("heading", { name: "Prefetch two" })).toBeVisible();
    expect(asked.slice(before), "opening a prefetched message asked for it again").toEqual([]);

    // Fetched ahead is not read: only the one opened is (once the reader's mark-read has landed).
    const seen = async () => Object.fromEntries((await messagesIn(client, folder)).map((m) => [m.subject, m.flags.has("\\Seen")]));
    await expect.poll(seen).toEqual({ "Prefetch one": false, "Prefetch two": true, "Prefetch three": false, "Prefetch four": false });
    await expect(row("Prefetch three")).toHaveAccessibleName(/Unread/);
  } finally {
    await client.mailboxDelete(folder).catch(() => undefined);
    await client.logout();
  }
});

for (const size of [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const) {
  for (const theme of ["light", "dark"] as const) {
    test(`${size.name} ${theme}: the server's rows while the script is still loading, then the same rows live`, async ({ browser, page }) => {
      await signIn(page, USERS.alice);
      const context = await browser.newContext({
        viewport: { width: size.width, height: size.height },
        colorScheme: theme,
        storageState: await page.context().storageState(),
      });
      const slow = await context.newPage();
      // A slow network for script only: every chunk waits until the screenshot of the HTML is taken.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      await slow.route((url) => url.pathname.startsWith("/_next/static/") && url.pathname.endsWith(".js"), async (route) => {
        await released;
        await route.continue().catch(() => undefined);
      });
      await slow.goto("/mail", { waitUntil: "commit" });
      await expect(rows(slow).first()).toBeVisible();
      await shot(slow, `first-paint-before-js-${size.name}-${theme}`);
      release();
      // Once hydrated, a row opens the reader (a click before that may be lost: asked again).
      const opened = slow.getByRole("region", { name: "Message", exact: true }).or(slow.getByRole("region", { name: "Conversation" })).first();
      await expect(async () => {
        await rows(slow).first().getByRole("button").click();
        await expect(opened).toBeVisible({ timeout: 2000 });
      }).toPass({ timeout: 30_000 });
      await shot(slow, `first-paint-after-js-${size.name}-${theme}`);
      await context.close();
    });
  }
}
