import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./compose-support";
import { appendMessages, messagesIn, rawClient } from "./imap";

// Issue 12 end to end: bob adds dave's mailbox (the stack's real Dovecot POP3) in Settings, tests
// the login, saves, checks now, finds the messages in the chosen folder, and removes the account.
const DAVE = { email: "dave@example.test", password: "dave-password" };
const FOLDER = "From Dave e2e";
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

  try {
    await signIn(page, USERS.bob);
    await page.goto("/settings");
    const section = page.getByRole("region", { name: "POP3 accounts" });
    await section.getByRole("button", { name: "Add POP3 account" }).click();
    await section.getByLabel("Server", { exact: true }).fill("127.0.0.1");
    await section.getByLabel("Security", { exact: true }).selectOption({ label: "STARTTLS" });
    await section.getByLabel("Port", { exact: true }).fill(pop3Port);
    await section.getByLabel("Login", { exact: true }).fill(DAVE.email);
    // The folder defaults to one named after the account.
    await expect(section.getByLabel("Folder", { exact: true })).toHaveValue(DAVE.email);

    await section.getByLabel("Password", { exact: true }).fill("not-daves-password");
    await section.getByRole("button", { name: "Test connection" }).click();
    await expect(section.getByRole("alert")).toContainText("refused the login or password");

    await section.getByLabel("Password", { exact: true }).fill(DAVE.password);
    await section.getByRole("button", { name: "Test connection" }).click();
    await expect(section.getByRole("status")).toHaveText("Connected and logged in: 2 messages on the server.");

    // The open form, with its test result, is axe-clean.
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, "form");
    await section.getByLabel("Folder", { exact: true }).fill(FOLDER);
    await section.getByRole("radio", { name: "Leave messages on the server" }).check();
    await section.getByRole("button", { name: "Save", exact: true }).click();
    const account = section.getByRole("listitem", { name: `${DAVE.email} on 127.0.0.1` });
    await expect(account).toContainText(`→ ${FOLDER}`);
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

    await page.goto("/settings");
    await section.getByRole("button", { name: `Remove ${DAVE.email} on 127.0.0.1` }).click();
    await expect(section.getByText("No POP3 accounts yet.")).toBeVisible();
    // Removing forgets the account, never the mail it fetched.
    expect(await messagesIn(bob, FOLDER)).toHaveLength(2);
  } finally {
    await bob.mailboxDelete(FOLDER).catch(() => undefined);
    await bob.logout();
  }
});
