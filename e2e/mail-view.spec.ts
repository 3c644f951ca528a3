import { readFileSync } from "node:fs";
import { brotliCompressSync } from "node:zlib";
import { expect, test, type Page } from "@playwright/test";
import type { ImapFlow } from "imapflow";
import { addRecipient, hydrated, signIn, USERS } from "./compose-support";
import { appendMessages, CAROL, messagesIn, rawClient } from "./imap";

// Issue 10: the mail view at a desktop and a phone size, light and dark — no sideways overflow,
// no axe violation, a screenshot of each view kept as an artifact — and the bugs a new user hit.

const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SIZES = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;
const THEMES = ["light", "dark"] as const;

const list = (page: Page) => page.getByRole("region", { name: "Messages", exact: true });
// Next.js keeps a live region of its own (the route announcer, which reads the page title after a
// navigation): only the app's alerts count.
const alerts = (page: Page) => page.getByRole("alert").and(page.locator(":not(#__next-route-announcer__)")).filter({ hasText: /\S/ });
const reader = (page: Page) => page.getByRole("region", { name: "Message", exact: true });

/** Scrolls the list down, as a user would, until the message's row is on screen, then opens it. */
async function openMessage(page: Page, subject: string) {
  const row = list(page).getByRole("button", { name: new RegExp(subject) }).first();
  await expect(async () => {
    if (await row.isVisible()) return;
    await list(page).getByRole("list").evaluate((ul) => ul.parentElement?.scrollBy(0, 400));
    await expect(row).toBeVisible({ timeout: 300 });
  }).toPass({ timeout: 30_000 });
  await row.click();
  await expect(reader(page).getByRole("heading", { name: subject })).toBeVisible();
  return reader(page);
}

async function noOverflow(page: Page, what: string) {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(scroll, `${what}: the page is ${scroll} px wide in a ${inner} px window`).toBeLessThanOrEqual(inner);
}

/** Runs axe-core (from npm, injected into the page) and fails on any violation, whatever its impact. */
async function axeClean(page: Page, what: string) {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"], iframes: false });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
  });
  expect(violations, `${what}: axe violations`).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
  await test.info().attach(name, { path: test.info().outputPath(`${name}.png`), contentType: "image/png" });
}

for (const size of SIZES) {
  for (const theme of THEMES) {
    test.describe(`${size.name} ${theme}`, () => {
      test.use({ viewport: { width: size.width, height: size.height }, colorScheme: theme });

      test("sign-in page, inbox, reader, composer and dialogs fit the width and pass axe", async ({ page }) => {
        const tag = `${size.name}-${theme}`;
        await page.goto("/login");
        await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
        await noOverflow(page, "sign-in");
        await axeClean(page, "sign-in");
        await shot(page, `login-${tag}`);

        await signIn(page, USERS.alice);
        await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
        await noOverflow(page, "inbox");
        await shot(page, `inbox-${tag}`);

        const open = await openMessage(page, "Quarterly report");
        await expect(open.getByRole("list", { name: "Attachments" })).toBeVisible();
        await noOverflow(page, "reader");
        await axeClean(page, "inbox with a message open");
        await shot(page, `reader-${tag}`);

        await page.getByRole("button", { name: "Compose" }).click();
        const composer = page.getByRole("region", { name: "New message" });
        await expect(composer.getByRole("textbox", { name: "Message" })).toBeVisible();
        await expect(composer.getByRole("button", { name: "Send", exact: true })).toBeInViewport();
        await expect(composer.getByRole("button", { name: "Close" })).toBeInViewport();
        await noOverflow(page, "composer");
        await axeClean(page, "composer");
        await shot(page, `composer-${tag}`);
        // Send later asks for a recipient first.
        await addRecipient(page, "To", "bob@example.test");
        await composer.getByRole("button", { name: "Send later" }).click();
        const later = page.getByRole("dialog", { name: "Send later" });
        await expect(later.getByRole("button", { name: /Tomorrow morning/ })).toBeVisible();
        await noOverflow(page, "send later dialog");
        await shot(page, `send-later-${tag}`);
        await page.keyboard.press("Escape");
        await expect(later).toBeHidden();
        await composer.getByRole("button", { name: "Discard" }).click();
        await expect(composer).toBeHidden();

        if (size.name === "phone") await page.getByRole("button", { name: "Back to list" }).click();
        await page.getByRole("button", { name: "Account" }).click();
        await page.getByRole("menuitem", { name: "Keyboard shortcuts" }).click();
        const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
        await expect(help).toBeVisible();
        await noOverflow(page, "shortcuts dialog");
        await shot(page, `shortcuts-${tag}`);
        await page.keyboard.press("Escape");

        if (size.name === "phone") await page.getByRole("button", { name: "Show folders" }).click();
        const nav = page.getByRole("navigation", { name: "Folders" });
        await nav.getByRole("button", { name: "New folder" }).click();
        await expect(page.getByRole("dialog", { name: "New folder" })).toBeVisible();
        await noOverflow(page, "new folder dialog");
        await page.keyboard.press("Escape");
        await nav.getByRole("button", { name: "Manage folders" }).click();
        await expect(page.getByRole("dialog", { name: "Manage folders" })).toBeVisible();
        await noOverflow(page, "manage folders dialog");
        await shot(page, `manage-folders-${tag}`);
        await page.keyboard.press("Escape");

        // Rename and delete act on the folder shown: one of alice's own, with a long name.
        const own = `Planning for the quarter and everything around it ${tag}`;
        const raw = await rawClient(USERS.alice);
        try {
          await raw.mailboxCreate(own);
          await page.goto(`/mail?${new URLSearchParams({ folder: own })}`);
          if (size.name === "phone") await page.getByRole("button", { name: "Show folders" }).click();
          await nav.getByRole("button", { name: "Rename folder" }).click();
          await expect(page.getByRole("dialog", { name: /^Rename folder/ })).toBeVisible();
          await noOverflow(page, "rename folder dialog");
          await shot(page, `rename-folder-${tag}`);
          await page.keyboard.press("Escape");
          await nav.getByRole("button", { name: "Delete folder" }).click();
          await expect(page.getByRole("dialog", { name: /^Delete folder/ })).toBeVisible();
          await noOverflow(page, "delete folder dialog");
          await shot(page, `delete-folder-${tag}`);
          await page.keyboard.press("Escape");
          await expect(page.getByRole("dialog")).toHaveCount(0);
          await nav.getByRole("link", { name: "Inbox" }).click();
          await expect(list(page).getByRole("listitem").first()).toBeVisible();
        } finally {
          await raw.mailboxDelete(own).catch(() => undefined);
          await raw.logout();
        }
        await list(page).getByRole("listitem").first().getByRole("checkbox").check();
        await page.getByRole("toolbar", { name: "Message actions" }).getByRole("button", { name: "Move to…" }).click();
        await expect(page.getByRole("dialog", { name: "Move to folder" })).toBeVisible();
        await noOverflow(page, "move dialog");
        await shot(page, `move-${tag}`);
        await page.keyboard.press("Escape");
      });
    });
  }
}

test.describe("the toolbar and the header fit on one line", () => {
  for (const size of SIZES) {
    test(`at ${size.width} px`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await signIn(page, USERS.alice);
      const toolbar = page.getByRole("toolbar", { name: "Message actions" });
      const box = await toolbar.boundingBox();
      expect(box?.height).toBeLessThanOrEqual(48);
      const header = await page.getByRole("banner").first().boundingBox();
      expect(header?.height).toBeLessThanOrEqual(56);
      // Read and Flag are toggles: one of each pair is offered at a time.
      await expect(toolbar.getByRole("button", { name: /^(Flag|Unflag)$/ })).toHaveCount(1);
      await expect(toolbar.getByRole("button", { name: /^Mark as (read|unread)$/ })).toHaveCount(1);
      await noOverflow(page, "inbox");
    });
  }
});

test.describe("a message laid out wider than the reader", () => {
  // The sample newsletter is a 480 px table: wider than a phone's reader, narrower than a desktop's.
  for (const size of SIZES) {
    test(`at ${size.width} px is ${size.name === "phone" ? "shrunk to the reader's width" : "left at its size"}`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await signIn(page, USERS.alice);
      await openMessage(page, "Newsletter with inline images");
      const frame = page.frameLocator('iframe[title="Message body"]');
      const banner = frame.getByRole("img", { name: "Paperboy Weekly" });
      await expect.poll(() => banner.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
      // Nothing to scroll sideways inside the frame, and the banner whole inside it, right padding too.
      const fitted = () =>
        frame.locator("html").evaluate((html) => {
          const banner = html.querySelector("img")!.getBoundingClientRect();
          return { overflow: html.scrollWidth - html.clientWidth, gap: html.clientWidth - banner.right, zoom: html.ownerDocument.body.style.zoom };
        });
      await expect.poll(async () => (await fitted()).overflow).toBeLessThanOrEqual(0);
      const { gap, zoom } = await fitted();
      expect(gap).toBeGreaterThan(4);
      if (size.name === "phone") expect(Number(zoom)).toBeLessThan(1);
      else expect(zoom).toBe("");
      // The frame is as tall as the shrunk message, so the reader shows no blank space under it.
      const heights = await page.locator('iframe[title="Message body"]').evaluate((f: HTMLIFrameElement) => ({
        frame: f.getBoundingClientRect().height,
        body: f.contentDocument!.documentElement.scrollHeight,
      }));
      expect(heights.frame - heights.body).toBeLessThanOrEqual(8 + 1);
    });
  }
});

test.describe("triage", () => {
  const run = Math.random().toString(36).slice(2, 7);
  let raw: ImapFlow;
  test.beforeAll(async () => {
    raw = await rawClient();
  });
  test.afterAll(async () => {
    await raw.logout();
  });

  async function signInCarol(page: Page) {
    await page.goto("/login");
    await page.getByLabel("Email").fill(CAROL.email);
    await page.getByLabel("Password").fill(CAROL.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(list(page).getByRole("listitem").first()).toBeVisible();
    await hydrated(page);
  }

  test("a row's checkbox shows its state on the first click", async ({ page }) => {
    const subject = `Checkbox ${run}`;
    await appendMessages(raw, "INBOX", [subject], ["\\Seen"]);
    await signInCarol(page);
    const box = list(page).getByRole("listitem").filter({ hasText: subject }).getByRole("checkbox");
    await box.click();
    await expect(box).toBeChecked();
    await expect(page.getByRole("toolbar", { name: "Message actions" }).getByText("1 selected")).toBeVisible();
    await box.click();
    await expect(box).not.toBeChecked();
  });

  test("archive from the reader opens the next message and keeps focus in the list, so j carries on", async ({ page }) => {
    const subjects = [1, 2, 3, 4].map((n) => `Triage ${run} #${n}`);
    // Appended oldest first: #4 is the newest, at the top.
    await appendMessages(raw, "INBOX", subjects, ["\\Seen"]);
    await signInCarol(page);
    const row = (s: string) => list(page).getByRole("listitem").filter({ hasText: s });
    await row(subjects[2]!).getByRole("button").click();
    await expect(reader(page).getByRole("heading", { name: subjects[2] })).toBeVisible();
    await page.keyboard.press("e");
    await expect(page.getByRole("status").filter({ hasText: "Archived: 1 message" })).toBeVisible();
    // Auto-advance (default "newer"): #4 is newer than #3 in a newest-first list.
    await expect(reader(page).getByRole("heading", { name: subjects[3] })).toBeVisible();
    await expect(row(subjects[3]!).getByRole("button")).toBeFocused();
    await page.keyboard.press("j");
    await expect(reader(page).getByRole("heading", { name: subjects[1] })).toBeVisible();
    await expect.poll(async () => (await messagesIn(raw, "Archive")).some((m) => m.subject === subjects[2])).toBe(true);
  });

  test.describe("by touch", () => {
    test.use({ hasTouch: true });
    test("a row's checkbox shows its state on the first tap", async ({ page }) => {
      const subject = `Tapped ${run}`;
      await appendMessages(raw, "INBOX", [subject], ["\\Seen"]);
      await signInCarol(page);
      const box = list(page).getByRole("listitem").filter({ hasText: subject }).getByRole("checkbox");
      await box.tap();
      await expect(box).toBeChecked();
      await expect(page.getByRole("toolbar", { name: "Message actions" }).getByText("1 selected")).toBeVisible();
      await box.tap();
      await expect(box).not.toBeChecked();
    });
  });

  test("auto-advance follows the setting: the older message, or back to the list", async ({ page, baseURL }) => {
    const subjects = [1, 2, 3, 4, 5].map((n) => `Advance ${run} #${n}`);
    await appendMessages(raw, "INBOX", subjects, ["\\Seen"]);
    const row = (s: string) => list(page).getByRole("listitem").filter({ hasText: s });
    const setAutoAdvance = async (autoAdvance: "newer" | "older" | "list") =>
      expect((await page.request.put("/api/settings", { headers: { Origin: baseURL! }, data: { autoAdvance } })).ok()).toBe(true);
    await signInCarol(page);
    try {
      await setAutoAdvance("older");
      await page.reload();
      await expect(row(subjects[3]!)).toBeVisible();
      await hydrated(page);
      await row(subjects[3]!).getByRole("button").click();
      await expect(reader(page).getByRole("heading", { name: subjects[3] })).toBeVisible();
      await page.keyboard.press("e");
      // #3 is older than #4 in a newest-first list.
      await expect(reader(page).getByRole("heading", { name: subjects[2] })).toBeVisible();
      await expect(row(subjects[2]!).getByRole("button")).toBeFocused();

      await setAutoAdvance("list");
      await page.reload();
      await expect(row(subjects[1]!)).toBeVisible();
      await hydrated(page);
      await row(subjects[1]!).getByRole("button").click();
      await expect(reader(page).getByRole("heading", { name: subjects[1] })).toBeVisible();
      await page.keyboard.press("e");
      // Back to the list: no message open, the focus on the neighbour's row so j and k carry on.
      await expect(reader(page)).toHaveCount(0);
      await expect(page.getByText("Select a message to read it")).toBeVisible();
      // (#3, the newer neighbour: #4 was archived above.)
      await expect(row(subjects[2]!).getByRole("button")).toBeFocused();
    } finally {
      await setAutoAdvance("newer");
    }
  });

  test("on a phone the list's and the reader's actions are a bar at the bottom, reached by keyboard, with toasts above it", async ({ page }) => {
    const size = SIZES[1];
    await page.setViewportSize({ width: size.width, height: size.height });
    const subjects = [1, 2].map((n) => `Phone ${run} #${n}`);
    await appendMessages(raw, "INBOX", subjects, ["\\Seen"]);
    await signInCarol(page);
    const bottomOf = async (what: string, locator: ReturnType<Page["locator"]>) => {
      const box = await locator.boundingBox();
      expect(box, what).not.toBeNull();
      expect(box!.y + box!.height, `${what}: its bottom edge is the window's`).toBeGreaterThan(size.height - 2);
      expect(box!.y + box!.height, `${what}: inside the window`).toBeLessThanOrEqual(size.height + 0.5);
      return box!;
    };
    const below = async (locator: ReturnType<Page["locator"]>) => {
      const banner = await page.getByRole("banner").first().boundingBox();
      const box = await locator.boundingBox();
      return box!.y - (banner!.y + banner!.height);
    };

    // The list: its heading right under the app's header, the actions at the bottom.
    const actions = page.getByRole("toolbar", { name: "Message actions" });
    const bar = await bottomOf("the list's actions", actions);
    expect(await below(list(page).getByRole("heading", { level: 2 }))).toBeLessThan(24);
    await noOverflow(page, "list on a phone");
    await shot(page, "inbox-phone-bottom-bar");
    // By keyboard: a row ticked, then from "Select all" Tab reaches Archive, the bar's first action.
    await list(page).getByRole("listitem").filter({ hasText: subjects[0] }).getByRole("checkbox").check();
    await expect(actions.getByText("1 selected")).toBeVisible();
    await actions.getByRole("checkbox", { name: "Select all" }).focus();
    await page.keyboard.press("Tab");
    await expect(actions.getByRole("button", { name: "Archive" })).toBeFocused();
    await page.keyboard.press("Enter");
    const toast = page.getByRole("status").filter({ hasText: "Archived: 1 message" });
    await expect(toast).toBeVisible();
    // Archive, focused by keyboard, showed its tooltip; with nothing selected it is disabled and
    // has lost the focus (without a blur event): the tooltip goes too.
    await expect(actions.getByRole("button", { name: "Archive" })).toBeDisabled();
    await expect(page.locator("body > [aria-hidden=true]").filter({ hasText: /^Archive$/ })).toHaveCount(0);
    const toastBox = await toast.boundingBox();
    expect(toastBox!.y + toastBox!.height, "the toast sits above the bar, not over it").toBeLessThanOrEqual(bar.y);
    await expect.poll(async () => (await messagesIn(raw, "Archive")).some((m) => m.subject === subjects[0])).toBe(true);

    // The reader: the subject right under the app's header, its actions at the bottom.
    await list(page).getByRole("listitem").filter({ hasText: subjects[1] }).getByRole("button").click();
    const heading = reader(page).getByRole("heading", { name: subjects[1] });
    await expect(heading).toBeVisible();
    const readerActions = page.getByRole("toolbar", { name: "Actions for this message" });
    await bottomOf("the reader's actions", readerActions);
    expect(await below(heading)).toBeLessThan(24);
    await noOverflow(page, "reader on a phone");
    await shot(page, "reader-phone-bottom-bar");
    await readerActions.getByRole("button", { name: "Back to list" }).focus();
    await page.keyboard.press("Enter");
    await expect(reader(page)).toHaveCount(0);
    await expect(list(page).getByRole("listitem").filter({ hasText: subjects[1] })).toBeVisible();

    // The confirmation of a permanent delete fits too: the message to Trash, then deleted from there.
    await list(page).getByRole("listitem").filter({ hasText: subjects[1] }).getByRole("checkbox").check();
    await actions.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Moved to Trash" })).toBeVisible();
    await page.getByRole("button", { name: "Show folders" }).click();
    await page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: "Trash" }).click();
    await list(page).getByRole("listitem").filter({ hasText: subjects[1] }).getByRole("checkbox").check();
    await actions.getByRole("button", { name: "Delete permanently" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete permanently?" });
    await expect(confirm).toBeVisible();
    await noOverflow(page, "delete permanently dialog");
    await shot(page, "delete-permanently-phone");
    await page.keyboard.press("Escape");
    await expect(confirm).toBeHidden();
  });

  test("after archive and Undo a message is back at its date's place, not on top, also after a reload", async ({ page }) => {
    const newer = `Dated ${run} newer`;
    const older = `Dated ${run} older`;
    const message = (subject: string, date: Date) =>
      `From: Dana <dana@example.test>\r\nTo: carol@example.test\r\nSubject: ${subject}\r\nDate: ${date.toUTCString()}\r\nMessage-ID: <${subject.replace(/\W+/g, ".")}@example.test>\r\n\r\n${subject}\r\n`;
    // Both arrive now; by their Date headers the older one was written a minute before.
    await raw.append("INBOX", message(older, new Date(Date.now() - 60_000)), ["\\Seen"]);
    await raw.append("INBOX", message(newer, new Date()), ["\\Seen"]);
    await signInCarol(page);
    // The order the two subjects appear in the list, by their index in [newer, older].
    const order = () =>
      list(page)
        .getByRole("listitem")
        .evaluateAll((items, subjects) => items.map((li) => subjects.findIndex((s) => li.textContent?.includes(s))).filter((i) => i >= 0), [newer, older]);
    await expect.poll(order).toEqual([0, 1]);
    // Each row shows its sender's initials (Dana: "D") beside the name.
    await expect(list(page).getByRole("listitem").filter({ hasText: newer }).getByText("D", { exact: true })).toBeVisible();

    await list(page).getByRole("listitem").filter({ hasText: older }).getByRole("checkbox").check();
    await page.getByRole("toolbar", { name: "Message actions" }).getByRole("button", { name: "Archive" }).click();
    await expect.poll(order).toEqual([0]);
    await page.getByRole("status").filter({ hasText: "Archived: 1 message" }).getByRole("button", { name: "Undo" }).click();
    await expect(page.getByRole("status").filter({ hasText: "1 message put back in Inbox" })).toBeVisible();
    // Back with a new UID, the newest arrival: by date it is still below the newer message.
    await expect.poll(async () => (await messagesIn(raw, "INBOX")).filter((m) => m.subject === older)).toHaveLength(1);
    await expect.poll(order).toEqual([0, 1]);
    await page.reload();
    await expect(list(page).getByRole("listitem").first()).toBeVisible();
    await expect.poll(order).toEqual([0, 1]);
  });

  test("the list asks the server for date order, and the sort menu changes it", async ({ page }) => {
    const asked: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/messages?") || r.url().includes("/api/conversations?")) asked.push(r.url());
    });
    await signInCarol(page);
    // Each row's checkbox names its subject and sender; the relative dates beside them may tick.
    const rows = () => list(page).getByRole("checkbox").evaluateAll((boxes) => boxes.map((b) => b.getAttribute("aria-label")));
    await expect(list(page).getByRole("listitem").first()).toBeVisible();
    // The first page comes in the server's HTML (issue 14, first paint), already in date order
    // (the previous test checks that order); the client asks the server when the user sorts.
    const byDate = await rows();
    await list(page).getByRole("button", { name: "Sort" }).click();
    await page.getByRole("menuitemradio", { name: "Subject" }).click();
    await expect(page).toHaveURL(/sort=subject/);
    await expect.poll(() => asked.some((u) => new URL(u).searchParams.get("sort") === "subject")).toBe(true);
    await expect.poll(rows).not.toEqual(byDate);
    // Back to Date: the date-ordered page again, newest first — from the client's cache of the
    // server-rendered page while that is fresh, so the check is the rows, not a request.
    await list(page).getByRole("button", { name: "Sort" }).click();
    await page.getByRole("menuitemradio", { name: "Date" }).click();
    await expect(page).not.toHaveURL(/sort=subject/);
    await expect.poll(rows).toEqual(byDate);
  });

  test("offline: one notice, and the list catches up by itself when the connection is back", async ({ page, context }) => {
    await signInCarol(page);
    await context.setOffline(true);
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(alerts(page)).toHaveCount(1);
    await expect(alerts(page)).toContainText("offline");
    await expect(list(page).getByRole("listitem").first()).toBeVisible();
    await context.setOffline(false);
    await expect(alerts(page)).toHaveCount(0);
  });
});

test("a server error shows the server's own words, once, with one Try again", async ({ page }) => {
  await signIn(page, USERS.alice);
  await page.goto(`/mail?${new URLSearchParams({ folder: "No such folder" })}`);
  const alert = list(page).getByRole("alert");
  await expect(alert).toHaveCount(1);
  await expect(alert).not.toContainText(/Request failed|The server answered/);
  await expect(alerts(page)).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Try again" })).toHaveCount(1);
  await expect(list(page).getByText("Loading…")).toHaveCount(0);
});

test("a recipient suggestion is taken by Enter, and by Tab", async ({ page }) => {
  await signIn(page, USERS.alice);
  // Suggestions come from the senders of messages the user opened.
  // Two senders shown by name (earlier tests may have put address-only mail on top).
  const senders: string[] = [];
  for (let index = 0; senders.length < 2 && index < 8; index++) {
    const sender = (await list(page).getByRole("listitem").nth(index).locator("span.truncate").first().textContent()) ?? "";
    if (!/^\p{L}+ \p{L}+/u.test(sender) || senders.includes(sender)) continue;
    await list(page).getByRole("listitem").nth(index).getByRole("button").click();
    await expect(reader(page).getByRole("heading").first()).toBeVisible();
    senders.push(sender);
  }
  expect(senders).toHaveLength(2);
  await page.getByRole("button", { name: "Compose" }).click();
  const to = page.getByRole("combobox", { name: "To", exact: true });
  const chips = page.getByRole("list", { name: "To recipients" });
  for (const [i, key] of [[0, "Enter"], [1, "Tab"]] as const) {
    const sender = senders[i]!;
    await to.focus();
    await to.pressSequentially(sender.slice(0, 3));
    await expect(page.getByRole("option", { name: new RegExp(sender) }).first()).toBeVisible();
    await to.press(key);
    await expect(chips.getByRole("listitem", { name: new RegExp(sender) })).toBeVisible();
    await expect(chips.locator("[data-invalid]")).toHaveCount(0);
  }
  await page.getByRole("region", { name: "New message" }).getByRole("button", { name: "Discard" }).click();
});

test.describe("dark mode", () => {
  test.use({ colorScheme: "dark" });
  test("plain-text mail is drawn on the dark page, not in a white card", async ({ page }) => {
    await signIn(page, USERS.alice);
    await openMessage(page, "Smart quotes from Windows");
    const body = page.frameLocator('iframe[title="Message body"]').locator("body");
    await expect(body).not.toBeEmpty();
    await expect.poll(() => body.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe("rgb(255, 255, 255)");
  });
});

test("the reader shows the sender's initials, who it was to, a relative date and attachment chips", async ({ page }) => {
  await signIn(page, USERS.alice);
  const open = await openMessage(page, "Quarterly report");
  await expect(open.getByText(/^to (me|.+)/).first()).toBeVisible();
  const details = open.getByRole("button", { name: "Details" });
  await details.click();
  await expect(details).toHaveAttribute("aria-expanded", "true");
  await expect(open.getByText("alice@example.test").first()).toBeVisible();
  const chip = open.getByRole("list", { name: "Attachments" }).getByRole("link", { name: /report-q3\.pdf/ });
  await expect(chip).toContainText(/PDF, \d+(\.\d)? (B|kB|MB)/);
  const date = open.locator("time").first();
  await expect(date).not.toContainText(/\d{1,2}:\d{2}:\d{2}/);
  // The relative date has the full one in a tooltip (on hover and on keyboard focus); icon buttons
  // have their names as tooltips.
  await date.hover();
  await expect(page.getByText(/^\p{L}+day, \p{L}+ \d{1,2}, \d{4}(,| at) \d{1,2}:\d{2}\s?[AP]M$/u)).toBeVisible();
  await open.getByRole("toolbar", { name: "Actions for this message" }).getByRole("button", { name: "Reply all" }).hover();
  await expect(page.getByText("Reply all", { exact: true })).toBeVisible();
});

test("a folder opened the first time shows a skeleton; one seen before shows at once from the client's cache", async ({ page }) => {
  await signIn(page, USERS.alice);
  // Every list request waits until the test lets it through.
  let release = () => {};
  let held = 0;
  await page.route(/\/api\/(messages|conversations)\?/, async (route) => {
    held++;
    await new Promise<void>((resolve) => {
      const previous = release;
      release = () => {
        previous();
        resolve();
      };
    });
    await route.continue();
  });
  const nav = page.getByRole("navigation", { name: "Folders" });
  await nav.getByRole("link", { name: "Sent" }).click();
  await expect(list(page).getByRole("status", { name: "Loading messages" })).toBeVisible();
  await expect(list(page).getByText("Loading…")).toHaveCount(0);
  await expect.poll(() => held).toBeGreaterThan(0);
  release();
  await expect(list(page).getByRole("heading", { name: "Sent" })).toBeVisible();
  await expect(list(page).getByRole("listitem").first()).toBeVisible();
  // Back to Inbox, with the server's answers held again: its rows are there at once.
  await nav.getByRole("link", { name: "Inbox" }).click();
  await expect(list(page).getByRole("heading", { name: "Inbox" })).toBeVisible();
  await expect(list(page).getByRole("listitem").first()).toBeVisible();
  await expect(list(page).getByRole("status", { name: "Loading messages" })).toHaveCount(0);
  release();
  await page.unroute(/\/api\/(messages|conversations)\?/);
});

// The budget: under 150 kB. The framework alone (React, Next's router and runtime) is about
// 116 kB, TanStack Query 12 kB; the mail view measured 149.4 kB here on 2026-12-04 (counting the live
// stream's catch-up and the snippet asker, which the page loads by itself after the first row) after
// its windowed list, own icons and lazy pieces (it was 159 kB). New views, dialogs, menus, the
// message actions and the API calls they alone make load on first use (lazyInBrowser, import()).
const FIRST_VISIT_BUDGET = 150_000;

test("the mail view's first visit stays within its budget of brotli-compressed JavaScript", async ({ browser, page }) => {
  await signIn(page, USERS.alice);
  // A fresh context: an empty HTTP cache, the same session.
  const fresh = await browser.newContext({ storageState: await page.context().storageState() });
  const visit = await fresh.newPage();
  const scripts = new Map<string, Promise<Buffer>>();
  visit.on("response", (r) => {
    if (r.request().resourceType() === "script" && r.ok()) scripts.set(r.url(), r.body());
  });
  await visit.goto("/mail");
  await expect(list(visit).getByRole("listitem").first()).toBeVisible();
  // Everything the first visit loads without the user doing anything counts, also what comes after
  // the first row (the page's own lazy imports): until the network has been quiet for 500 ms.
  await visit.waitForLoadState("networkidle");
  let total = 0;
  const sizes: string[] = [];
  for (const [url, body] of scripts) {
    const size = brotliCompressSync(await body).length;
    total += size;
    sizes.push(`${size}\t${new URL(url).pathname}`);
  }
  console.log(`mail view, first visit: ${scripts.size} scripts, ${(total / 1000).toFixed(1)} kB brotli`);
  await test.info().attach("bundle.txt", { body: `${scripts.size} scripts, ${total} bytes brotli\n${sizes.join("\n")}\n` });
  console.log(sizes.join("\n"));
  expect(total).toBeLessThan(FIRST_VISIT_BUDGET);
  await fresh.close();
});

test.describe("settings applied in the mail view", () => {
  test.afterEach(async ({ page, baseURL }) => {
    // Alice's other tests expect the defaults.
    await page.request.put("/api/settings", {
      headers: { Origin: baseURL! },
      data: { signature: { format: "text", body: "" }, density: "comfortable", theme: "system" },
    });
  });

  test("compact density fits at least 14 rows at 1440×900, the theme follows the setting, the signature goes into new mail", async ({ page, baseURL }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, USERS.alice);
    const put = await page.request.put("/api/settings", {
      headers: { Origin: baseURL! },
      data: { density: "compact", theme: "dark", signature: { format: "text", body: "Alice, from the mail view test" } },
    });
    expect(put.ok()).toBe(true);
    await page.reload();
    await expect(list(page).getByRole("listitem").first()).toBeVisible();
    await expect(page.locator("html")).toHaveClass(/dark/);
    const rowsInView = await list(page)
      .getByRole("listitem")
      .evaluateAll((items) => items.filter((li) => li.getBoundingClientRect().bottom <= window.innerHeight).length);
    expect(rowsInView).toBeGreaterThanOrEqual(14);
    await shot(page, "inbox-compact-desktop-dark");

    await page.getByRole("button", { name: "Compose" }).click();
    await expect(page.getByRole("region", { name: "New message" }).getByRole("textbox", { name: "Message" })).toContainText(
      "Alice, from the mail view test",
    );
    await page.getByRole("region", { name: "New message" }).getByRole("button", { name: "Discard" }).click();
    // And into replies, above the quote.
    await openMessage(page, "Quarterly report");
    await reader(page).getByRole("toolbar", { name: "Actions for this message" }).getByRole("button", { name: "Reply", exact: true }).click();
    const reply = page.getByRole("region", { name: "New message" });
    const replyBody = reply.getByRole("textbox", { name: "Message" });
    await expect(replyBody).toContainText("Alice, from the mail view test");
    await expect(replyBody).toContainText("attached is the Q3 report");
    const text = (await replyBody.textContent()) ?? "";
    expect(text.indexOf("Alice, from the mail view test")).toBeLessThan(text.indexOf("attached is the Q3 report"));
    await reply.getByRole("button", { name: "Discard" }).click();

    await page.getByRole("button", { name: "Account" }).click();
    await page.getByRole("menuitem", { name: "Settings" }).click();
    await expect(page).toHaveURL(/\/settings/);
    await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(page.locator("html")).toHaveClass(/dark/);
  });
});
