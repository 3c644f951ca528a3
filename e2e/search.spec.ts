import { expect, test, type Page } from "@playwright/test";
import type { ImapFlow } from "imapflow";
import { CAROL, messagesIn, rawClient } from "./imap";
import { hydrated } from "./compose-support";

// Search (issue 11), in carol's mailbox, on messages of this run's own: typed with "/", counted,
// opened and acted on, kept over a reload and back/forward; in:anywhere into a nested folder; an
// invalid operator explained inline.
const run = Math.random().toString(36).slice(2, 7);
const PARENT = `Hunt ${run}`;
const NESTED = `${PARENT}/Deep ${run}`;
let raw: ImapFlow;

function message(subject: string, date: Date, body: string): string {
  return `From: Dana <dana@example.test>\r\nTo: carol@example.test\r\nSubject: ${subject}\r\nDate: ${date.toUTCString()}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@example.test>\r\n\r\n${body}\r\n`;
}

test.beforeAll(async () => {
  raw = await rawClient();
  // Dated apart, so "newest first" is known: #3 is the newest.
  for (const n of [1, 2, 3]) {
    await raw.append("INBOX", message(`Lantern${run} #${n}`, new Date(Date.UTC(2025, 0, n)), `Body of lantern ${n}.`));
  }
  await raw.mailboxCreate(PARENT);
  await raw.mailboxCreate(NESTED);
  await raw.append(NESTED, message(`Needle${run} in a haystack`, new Date(Date.UTC(2025, 1, 1)), "Hidden deep down."));
});
test.afterAll(async () => {
  await raw.mailboxDelete(NESTED).catch(() => undefined);
  await raw.mailboxDelete(PARENT).catch(() => undefined);
  await raw.logout();
});

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(CAROL.email);
  await page.getByLabel("Password").fill(CAROL.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/mail/);
  await expect(page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: "Inbox" })).toBeVisible();
  await hydrated(page);
}

const list = (page: Page) => page.getByRole("region", { name: "Messages", exact: true });
const box = (page: Page) => page.getByRole("searchbox", { name: "Search mail" });
const rows = (page: Page) => list(page).getByRole("listitem");
// The list's status line: what was searched and how many were found.
const found = (page: Page) => list(page).getByRole("status").filter({ hasText: "found for" });

test("search with /, count, open and act on a result, reload and back/forward keep the search", async ({ page }) => {
  await signIn(page);
  // "/" focuses the box from anywhere on the page; Escape leaves it.
  await page.locator("body").press("/");
  await expect(box(page)).toBeFocused();
  await box(page).press("Escape");
  await expect(box(page)).not.toBeFocused();
  await page.locator("body").press("/");
  await box(page).fill(`lantern${run}`);
  await box(page).press("Enter");

  await expect(found(page)).toHaveText(`3 messages found for “lantern${run}” in Inbox.`);
  await expect(rows(page)).toHaveCount(3);
  await expect(rows(page).first()).toContainText(`Lantern${run} #3`);
  await expect(page).toHaveURL(new RegExp(`q=lantern${run}`));

  // Back leaves the search for the folder; forward returns to it.
  await page.goBack();
  await expect(list(page).getByRole("heading", { name: "Inbox" })).toBeVisible();
  await expect(box(page)).toHaveValue("");
  await page.goForward();
  await expect(found(page)).toHaveText(`3 messages found for “lantern${run}” in Inbox.`);
  await expect(box(page)).toHaveValue(`lantern${run}`);

  // Open the newest result and delete it from the reader: it goes to Trash on the server.
  await rows(page).filter({ hasText: `Lantern${run} #3` }).getByRole("button").click();
  await expect(page.getByRole("heading", { name: `Lantern${run} #3` })).toBeVisible();
  await page.getByRole("toolbar", { name: "Message actions" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Moved to Trash: 1 message" })).toBeVisible();
  await expect(found(page)).toHaveText(`2 messages found for “lantern${run}” in Inbox.`);
  await expect.poll(async () => (await messagesIn(raw, "Trash")).some((m) => m.subject === `Lantern${run} #3`)).toBe(true);

  // Select all results and flag them: the search's own UIDs, checked on the server.
  await page.getByRole("toolbar", { name: "Message actions" }).getByRole("checkbox", { name: "Select all" }).check();
  await page.getByRole("toolbar", { name: "Message actions" }).getByRole("button", { name: "Flag" }).click();
  await expect
    .poll(async () => (await messagesIn(raw, "INBOX")).filter((m) => m.subject.startsWith(`Lantern${run}`) && m.flags.has("\\Flagged")).length)
    .toBe(2);

  // Reload: the same search, the same results.
  await page.reload();
  await expect(box(page)).toHaveValue(`lantern${run}`);
  await expect(found(page)).toHaveText(`2 messages found for “lantern${run}” in Inbox.`);

});

test("in:anywhere finds a message in a nested folder, names the folder, and opens it", async ({ page }) => {
  await signIn(page);
  await box(page).fill(`needle${run} in:anywhere`);
  await box(page).press("Enter");
  await expect(found(page)).toHaveText(`1 message found for “needle${run} in:anywhere” in all folders.`);
  const result = rows(page).filter({ hasText: `Needle${run} in a haystack` });
  await expect(result).toContainText(`Deep ${run}`);
  await result.getByRole("button").click();
  await expect(page.getByRole("heading", { name: `Needle${run} in a haystack` })).toBeVisible();
});

test("an invalid operator value is explained under the box, and nothing is searched", async ({ page }) => {
  await signIn(page);
  const before = page.url();
  await box(page).fill("before:yesterday");
  await box(page).press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "“before:yesterday” is not a date: write it as YYYY-MM-DD" })).toBeVisible();
  await expect(box(page)).toHaveAttribute("aria-invalid", "true");
  expect(page.url()).toBe(before);
  // Correcting it clears the message.
  await box(page).fill("before:2020-01-01");
  await expect(page.getByRole("alert").filter({ hasText: "is not a date" })).toHaveCount(0);
});
