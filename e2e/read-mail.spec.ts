import { expect, test, type Page } from "@playwright/test";
import { signIn as signInAs, USERS } from "./compose-support";
import { messagesIn, rawClient } from "./imap";

const ALICE = USERS.alice;
const signIn = (page: Page) => signInAs(page, ALICE);

/** Scrolls the list down, as a user would, until the message's row is on screen, then opens it. */
async function openMessage(page: Page, subject: string) {
  const list = page.getByRole("region", { name: "Messages", exact: true });
  const row = list.getByRole("button", { name: new RegExp(subject) }).first();
  await expect(async () => {
    if (await row.isVisible()) return;
    await list.getByRole("list").evaluate((ul) => ul.parentElement?.scrollBy(0, 400));
    await expect(row).toBeVisible({ timeout: 300 });
  }).toPass({ timeout: 30_000 });
  await row.click();
  const reader = page.getByRole("region", { name: "Message", exact: true });
  await expect(reader.getByRole("heading", { name: subject })).toBeVisible();
  return reader;
}

test.describe("signing in", () => {
  test("a wrong password says so and stays on the sign-in page", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(ALICE.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "email address or password is wrong" })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });

  test("the mail pages and API refuse a visitor without a session", async ({ page, request }) => {
    await page.goto("/mail");
    await expect(page).toHaveURL(/\/login/);
    const response = await request.get("/api/folders");
    expect(response.status()).toBe(401);
  });

  test("the session never exposes the password or the key to the browser", async ({ page }) => {
    await signIn(page);
    const session = await page.evaluate(() => fetch("/api/auth/session").then((r) => r.text()));
    expect(session).toContain(ALICE.email);
    expect(session).not.toContain(ALICE.password);
    expect(session).not.toMatch(/"(sid|key|sessionKey)"/);
    const cookies = await page.context().cookies();
    for (const cookie of cookies) expect(cookie.value).not.toContain(ALICE.password);
  });
});

test.describe("browsing and reading", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test("folders come from the server, special folders first, nested and non-ASCII names shown", async ({ page }) => {
    const nav = page.getByRole("navigation", { name: "Folders" });
    // The links are named by what they show ("Inbox 3 unread"); the folder's own name is its first part.
    const names = await nav.getByRole("link").evaluateAll((links) => links.map((l) => l.querySelector("[data-folder-name]")?.textContent));
    expect(names.slice(0, 6)).toEqual(["Inbox", "Drafts", "Sent", "Archive", "Junk", "Trash"]);
    await expect(nav.getByRole("link", { name: "Köln" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Letterbox" })).toBeVisible();

    await nav.getByRole("link", { name: "Sent" }).click();
    await expect(page).toHaveURL(/folder=Sent/);
    await expect(page.getByRole("region", { name: "Messages", exact: true }).getByRole("heading", { name: "Sent" })).toBeVisible();
  });

  test("opening a multipart/alternative message shows its HTML in a sandboxed frame and marks it read", async ({ page }) => {
    // What the server holds is read over the test's own connection, not through the app.
    const raw = await rawClient(ALICE);
    const seenOnServer = async () => (await messagesIn(raw, "INBOX")).find((m) => m.subject === "Welcome to Letterbox")?.flags.has("\\Seen");
    try {
      const lock = await raw.getMailboxLock("INBOX");
      try {
        const uids = (await raw.search({ subject: "Welcome to Letterbox" }, { uid: true })) || [];
        await raw.messageFlagsRemove(uids, ["\\Seen"], { uid: true });
      } finally {
        lock.release();
      }
      expect(await seenOnServer()).toBe(false);
      await page.reload();

      const reader = await openMessage(page, "Welcome to Letterbox");
      const frame = reader.locator('iframe[title="Message body"]');
      await expect(frame).toHaveAttribute("sandbox", /allow-same-origin/);
      expect(await frame.getAttribute("sandbox")).not.toContain("allow-scripts");
      await expect(page.frameLocator('iframe[title="Message body"]').locator("body")).not.toBeEmpty();
      await expect.poll(seenOnServer).toBe(true);

      await reader.getByRole("button", { name: "Mark as unread" }).click();
      await expect(reader.getByRole("status")).toContainText("Marked as unread");
      await expect.poll(seenOnServer).toBe(false);
    } finally {
      await raw.logout();
    }
  });

  test("remote content stays blocked until the user allows it, then comes through the image proxy", async ({ page }) => {
    const remoteRequests: string[] = [];
    const proxied: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("http://127.0.0.1")) remoteRequests.push(r.url());
      else if (new URL(r.url()).pathname === "/api/proxy") proxied.push(new URL(r.url()).searchParams.get("url") ?? "");
    });
    const reader = await openMessage(page, "Tracking pixel test");
    const body = page.frameLocator('iframe[title="Message body"]').locator("body");
    await expect(body).not.toBeEmpty();
    await expect(reader.getByText("blocked to protect your privacy")).toBeVisible();
    expect(remoteRequests).toEqual([]);

    await reader.getByRole("button", { name: "Load remote content" }).click();
    // The browser asks the app for the logo and the background; the sender's hosts never hear
    // from it, and the 1×1 tracker is not asked for at all.
    await expect.poll(() => [...new Set(proxied)].sort()).toEqual(["https://cdn.shop.invalid/bg.png", "https://cdn.shop.invalid/logo.png"]);
    expect(remoteRequests).toEqual([]);
  });

  test("hostile HTML runs no script", async ({ page }) => {
    let dialogs = 0;
    page.on("dialog", (d) => {
      dialogs += 1;
      void d.dismiss();
    });
    await openMessage(page, "Hostile HTML sample");
    const frame = page.frameLocator('iframe[title="Message body"]');
    await expect(frame.locator("body")).not.toBeEmpty();
    expect(await frame.locator("script, iframe, form, object, embed").count()).toBe(0);
    expect(await frame.locator("[onerror], [onload], [onclick]").count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  test("inline cid: images load from the app itself", async ({ page }) => {
    await openMessage(page, "Newsletter with inline images");
    const image = page.frameLocator('iframe[title="Message body"]').locator("img").first();
    await expect(image).toHaveAttribute("src", /^\/api\/messages\/\d+\/parts\//);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  });

  test("attachments are listed and download with their bytes", async ({ page }) => {
    const reader = await openMessage(page, "Quarterly report");
    const link = reader.getByRole("list", { name: "Attachments" }).getByRole("link", { name: /report-q3\.pdf/ });
    await expect(link).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("report-q3.pdf");
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(path).subarray(0, 5).toString()).toBe("%PDF-");
  });

  test("a non-UTF-8 message reads correctly", async ({ page }) => {
    await openMessage(page, "Grüße aus Köln");
    await expect(page.frameLocator('iframe[title="Message body"]').locator("body")).toContainText(/[äöüß]/);
  });

  test("view source shows the raw message", async ({ page }) => {
    const reader = await openMessage(page, "Welcome to Letterbox");
    await reader.getByRole("button", { name: "View source" }).click();
    await expect(reader.getByLabel("Message source")).toContainText("Subject:");
  });

  test("the list works from the keyboard", async ({ page }) => {
    const list = page.getByRole("region", { name: "Messages", exact: true });
    const first = list.getByRole("listitem").first().getByRole("button");
    await first.focus();
    await page.keyboard.press("ArrowDown");
    await expect(list.getByRole("listitem").nth(1).getByRole("button")).toBeFocused();
    await page.keyboard.press("Enter");
    // A row of several messages opens as a conversation (issue 11): its heading takes focus the same way.
    const reader = page.getByRole("region", { name: "Message", exact: true }).or(page.getByRole("region", { name: "Conversation", exact: true }));
    await expect(reader.getByRole("heading").first()).toBeFocused();
  });

  test("scrolling reaches the oldest message of the folder, loading pages on the way", async ({ page }) => {
    const list = page.getByRole("region", { name: "Messages", exact: true });
    // Rows: messages, or conversations in the conversation view (issue 11).
    const count = await list.getByText(/^[\d,]+ (messages|conversations)$/).textContent();
    const total = Number((count ?? "0").replace(/\D/g, ""));
    expect(total).toBeGreaterThan(100);
    const first = list.getByRole("listitem").first().getByRole("button");
    await first.focus();
    await page.keyboard.press("End");
    await expect(list.locator(`[aria-posinset="${total}"] button`)).toBeFocused();
    // Only the rows on screen exist in the DOM, however long the folder.
    expect(await list.getByRole("listitem").count()).toBeLessThan(60);
  });

  test("sign out ends the session", async ({ page }) => {
    // Sign out lives in the account menu (issue 10).
    await page.getByRole("button", { name: "Account" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    const status = await page.evaluate(() => fetch("/api/folders").then((r) => r.status));
    expect(status).toBe(401);
  });
});
