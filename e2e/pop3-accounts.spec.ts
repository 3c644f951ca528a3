import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./compose-support";
import { appendMessages, messagesIn, rawClient } from "./imap";

// Issue 12 end to end: bob adds dave's mailbox (the stack's real Dovecot POP3) in Settings, tests
// the login, saves, checks now, finds the messages in the chosen folder, and removes the account.
const DAVE = { email: "dave@example.test", password: "dave-password" };
const FOLDER = "From Dave e2e";
const EDITED = "From Dave edited e2e";
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!process.env.POP3_SCREENSHOTS) return;
  for (const [width, height] of [[1440, 900], [390, 844]] as const) {
    for (const scheme of ["light", "dark"] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `test-results/pop3-${name}-${width}-${scheme}.png`, fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: "light" });
}

test("a POP3 account: test connection, save, check now, the messages arrive in the folder, remove", async ({ page }) => {
  const pop3Port = process.env.MAIL_POP3_PORT ?? "24110";
  // dave's INBOX (what POP3 serves) holds exactly these two.
  const dave = await rawClient(DAVE);
  const lock = await dave.getMailboxLock("INBOX");
  try {
    if (dave.mailbox && dave.mailbox.exists > 0) await dave.messageDelete("1:*");
  } finally {
    lock.release();
  }
  await appendMessages(dave, "INBOX", ["POP3 e2e one", "POP3 e2e two"]);
  await dave.logout();
  const bob = await rawClient(USERS.bob);
  await bob.mailboxDelete(FOLDER).catch(() => undefined);
  await bob.mailboxDelete(EDITED).catch(() => undefined);
  // An existing folder, for "Edit" to pick.
  await bob.mailboxCreate(EDITED);

  try {
    await signIn(page, USERS.bob);
    await page.goto("/settings");
    const section = page.getByRole("region", { name: "POP3 accounts" });
    await section.getByRole("button", { name: "Add POP3 account" }).click();
    await section.getByLabel("Server", { exact: true }).fill("127.0.0.1");
    await section.getByLabel("Security", { exact: true }).selectOption({ label: "STARTTLS" });
    await section.getByLabel("Port", { exact: true }).fill(pop3Port);
    await section.getByLabel("Login", { exact: true }).fill(DAVE.email);
    // The folder defaults to a new one named after the account.
    await expect(section.getByLabel("Folder", { exact: true }).locator("option:checked")).toHaveText("New folder");
    await expect(section.getByLabel("New folder name")).toHaveValue(DAVE.email);
    // Existing folders are offered too (Drafts, Sent and Trash are not).
    await expect(section.getByLabel("Folder", { exact: true }).getByRole("option", { name: EDITED, exact: true })).toBeAttached();
    await expect(section.getByLabel("Folder", { exact: true }).getByRole("option", { name: "Sent", exact: true })).toHaveCount(0);

    await section.getByLabel("Password", { exact: true }).fill("not-daves-password");
    await section.getByRole("button", { name: "Test connection" }).click();
    await expect(section.getByRole("alert")).toContainText("refused the login or password");

    await section.getByLabel("Password", { exact: true }).fill(DAVE.password);
    await section.getByRole("button", { name: "Test connection" }).click();
    await expect(section.getByRole("status")).toHaveText("Connected and logged in: 2 messages on the server.");

    // The open form, with its test result, is axe-clean.
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, "form");
    await section.getByLabel("New folder name").fill(FOLDER);
    await section.getByRole("radio", { name: "Leave messages on the server" }).check();
    await section.getByRole("button", { name: "Save", exact: true }).click();
    const account = section.getByRole("listitem", { name: `${DAVE.email} on 127.0.0.1` });
    await expect(account).toContainText(`→ ${FOLDER}`);
    // Saving created the folder, before any fetch.
    expect((await bob.list()).map((f) => f.path)).toContain(FOLDER);
    // The password never comes back to the browser.
    const listed = await (await page.request.get("/api/pop3-accounts")).text();
    expect(listed).not.toContain(DAVE.password);
    expect(listed).not.toContain("sealed");

    // The worker may have fetched first (the first fetch is due at once): either way, two in all.
    await account.getByRole("button", { name: "Check now" }).click();
    await expect(account.getByRole("status")).toContainText("(2 in all)");
    const filed = await messagesIn(bob, FOLDER);
    expect(filed.map((m) => m.subject).sort()).toEqual(["POP3 e2e one", "POP3 e2e two"]);
    expect(filed.every((m) => !m.flags.has("\\Seen"))).toBe(true);

    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, "account");
    // A second check finds nothing new: download-and-keep never fetches a message twice.
    await account.getByRole("button", { name: "Check now" }).click();
    await expect(account.getByRole("status")).toContainText("0 messages fetched (2 in all)");

    // The folder shows in the mail view with the messages, unread.
    await page.goto("/mail");
    await page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: new RegExp(`^${FOLDER}`) }).click();
    await expect(page.getByText("POP3 e2e one").first()).toBeVisible();

    // Edit: another folder (an existing one) and download-and-delete; the next "Check now" uses both.
    await page.goto("/settings");
    await account.getByRole("button", { name: "Edit" }).click();
    const form = section.getByRole("form", { name: "Edit POP3 account" });
    await expect(form.getByLabel("Folder", { exact: true })).toHaveValue(FOLDER);
    await expect(form.getByLabel("Login", { exact: true })).toHaveValue(DAVE.email);
    await form.getByLabel("Folder", { exact: true }).selectOption({ label: EDITED });
    await expect(form.getByLabel("New folder name")).toHaveCount(0);
    await form.getByRole("radio", { name: "Delete messages from the server after fetching" }).check();
    await shoot(page, "edit");
    // No password typed: the saved one is kept.
    await form.getByRole("button", { name: "Save", exact: true }).click();
    await expect(form).toHaveCount(0);
    await expect(account).toContainText(`→ ${EDITED}`);
    await expect(account).toContainText("Deletes messages from the server after fetching");
    const again = await rawClient(DAVE);
    await appendMessages(again, "INBOX", ["POP3 e2e three"]);
    await again.logout();
    await account.getByRole("button", { name: "Check now" }).click();
    await expect(account.getByRole("status")).toContainText("(3 in all)");
    // The new message went to the new folder, the two fetched before were not filed again, and the
    // POP3 mailbox is empty: the two recorded ones deleted without a second copy, the new one after it.
    expect((await messagesIn(bob, EDITED)).map((m) => m.subject)).toEqual(["POP3 e2e three"]);
    expect(await messagesIn(bob, FOLDER)).toHaveLength(2);
    const emptied = await rawClient(DAVE);
    expect(await emptied.status("INBOX", { messages: true })).toMatchObject({ messages: 0 });
    await emptied.logout();

    await section.getByRole("button", { name: `Remove ${DAVE.email} on 127.0.0.1` }).click();
    await expect(section.getByText("No POP3 accounts yet.")).toBeVisible();
    // Removing forgets the account, never the mail it fetched.
    expect(await messagesIn(bob, FOLDER)).toHaveLength(2);
  } finally {
    await bob.mailboxDelete(FOLDER).catch(() => undefined);
    await bob.mailboxDelete(EDITED).catch(() => undefined);
    await bob.logout();
  }
});

test("security None: the form warns, and the server refuses it unless MAIL_POP3_ALLOW_PLAINTEXT=1", async ({ page, baseURL }) => {
  // The test app runs without MAIL_POP3_ALLOW_PLAINTEXT (the default); lib/mail/fetch-pop3/
  // check-pop3-security.test.ts holds both settings of it.
  await signIn(page, USERS.bob);
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "POP3 accounts" });
  const before = (await (await page.request.get("/api/pop3-accounts")).json()).accounts.length;
  await section.getByRole("button", { name: "Add POP3 account" }).click();
  const form = section.getByRole("form", { name: "Add POP3 account" });
  await form.getByLabel("Server", { exact: true }).fill("127.0.0.1");
  await expect(form.getByRole("note")).toHaveCount(0);
  await form.getByLabel("Security", { exact: true }).selectOption({ label: "None" });
  await expect(form.getByRole("note")).toContainText("readable by anyone on the way");
  await expect(form.getByLabel("Port", { exact: true })).toHaveValue("110");
  await form.getByLabel("Port", { exact: true }).fill(process.env.MAIL_POP3_PORT ?? "24110");
  await form.getByLabel("Login", { exact: true }).fill(DAVE.email);
  await form.getByLabel("Password", { exact: true }).fill(DAVE.password);
  await shoot(page, "plaintext");

  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByRole("alert")).toContainText("does not send a password without encryption");
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form.getByRole("alert")).toContainText("MAIL_POP3_ALLOW_PLAINTEXT=1");
  await expect(form).toBeVisible();

  // The API says the same to a caller that skips the form, and nothing was stored.
  const direct = await page.request.post("/api/pop3-accounts", {
    headers: { Origin: baseURL! },
    data: { host: "127.0.0.1", port: 110, security: "none", login: DAVE.email, password: DAVE.password, folder: "Plain", mode: "keep" },
  });
  expect(direct.status()).toBe(400);
  expect((await direct.json()).error.code).toBe("POP3_PLAINTEXT_REFUSED");
  expect((await (await page.request.get("/api/pop3-accounts")).json()).accounts).toHaveLength(before);
  // Refused before anything else: no folder was created either.
  const bob = await rawClient(USERS.bob);
  try {
    expect((await bob.list()).map((f) => f.path)).not.toContain("Plain");
  } finally {
    await bob.logout();
  }
});
