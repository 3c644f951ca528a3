import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import type { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { signIn } from "./compose-support";
import { appendMessages, rawClient } from "./imap";

// Live updates (issue 11): the mail view changes when the mailbox does, without a reload. frank's
// mailbox is these tests' own (scripts/mail-stack/mail-stack.sh), so counts are only theirs.
const FRANK = { email: "frank@example.test", password: "frank-password" };
const run = Date.now().toString(36);

const list = (page: Page) => page.getByRole("region", { name: "Messages", exact: true });
const row = (page: Page, subject: string) => list(page).getByRole("listitem").filter({ hasText: subject });
const inboxLink = (page: Page) => page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: /^Inbox/ });

/** Delivered the way mail arrives: SMTP submission to Postfix, which hands it to Dovecot (LMTP). */
async function deliver(subject: string): Promise<void> {
  const url = new URL(process.env.MAIL_SMTP_URL ?? "smtp://127.0.0.1:24587");
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port),
    secure: false,
    auth: { user: FRANK.email, pass: FRANK.password },
    tls: { rejectUnauthorized: false },
  });
  try {
    await transport.sendMail({ from: "Grace Hopper <frank@example.test>", to: FRANK.email, subject, text: `${subject}\n` });
  } finally {
    transport.close();
  }
}

async function uidOf(client: ImapFlow, subject: string): Promise<number> {
  const lock = await client.getMailboxLock("INBOX");
  try {
    await client.noop();
    // By the subject compared whole: the stack's full-text index answers SEARCH SUBJECT by words,
    // and words under three letters ("#1", "#2") do not count, so it finds siblings too.
    const candidates = (await client.search({ subject }, { uid: true })) || [];
    const matching: number[] = [];
    if (candidates.length > 0) {
      for await (const m of client.fetch(candidates, { uid: true, envelope: true }, { uid: true })) if (m.envelope?.subject === subject) matching.push(m.uid);
    }
    if (!matching[0]) throw new Error(`no "${subject}" in INBOX`);
    return matching[0];
  } finally {
    lock.release();
  }
}

async function unreadInInbox(client: ImapFlow): Promise<number> {
  const status = await client.status("INBOX", { unseen: true });
  if (!status) throw new Error("STATUS INBOX failed");
  return status.unseen ?? 0;
}

/** Proof that the page never reloaded: a mark left on the window survives only in the same document. */
const markDocument = (page: Page) => page.evaluate(() => ((window as unknown as { liveMark: boolean }).liveMark = true));
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { liveMark?: boolean }).liveMark === true);

let raw: ImapFlow;
test.beforeAll(async () => {
  raw = await rawClient(FRANK);
  // A read message or two, so the list has rows before anything arrives.
  await appendMessages(raw, "INBOX", [`Already here ${run} #1`, `Already here ${run} #2`], ["\\Seen"]);
});
test.afterAll(async () => {
  await raw?.logout().catch(() => raw.close());
});

test("new mail, a flag and a deletion made elsewhere show in the open Inbox without a reload", async ({ page }) => {
  await signIn(page, FRANK);
  await markDocument(page);
  const before = await unreadInInbox(raw);
  await expect(page).toHaveTitle(before > 0 ? `(${before}) Inbox — Letterbox` : "Inbox — Letterbox");

  const arrived = `Arrived live ${run}`;
  await deliver(arrived);
  await expect(row(page, arrived)).toBeVisible({ timeout: 10_000 });
  // At the top of the list, unread, and counted in the tree and the title.
  await expect(list(page).getByRole("listitem").first()).toContainText(arrived);
  await expect(row(page, arrived).getByRole("button", { name: /^Unread, / })).toBeVisible();
  await expect(inboxLink(page)).toHaveAccessibleName(`Inbox ${before + 1} unread`);
  await expect(page).toHaveTitle(`(${before + 1}) Inbox — Letterbox`);

  // Another client flags one message and deletes another: both show here.
  const flagged = `Already here ${run} #1`;
  const deleted = `Already here ${run} #2`;
  const flaggedUid = await uidOf(raw, flagged);
  const deletedUid = await uidOf(raw, deleted);
  // The one deleted is open in the reader here.
  const reader = page.getByRole("region", { name: "Message", exact: true });
  await row(page, deleted).click();
  await expect(reader.getByRole("heading", { name: deleted })).toBeVisible();
  const lock = await raw.getMailboxLock("INBOX");
  try {
    await raw.messageFlagsAdd(String(flaggedUid), ["\\Flagged"], { uid: true });
    await raw.messageDelete(String(deletedUid), { uid: true });
  } finally {
    lock.release();
  }
  await expect(row(page, flagged).getByRole("button", { name: /, flagged/ })).toBeVisible({ timeout: 10_000 });
  await expect(row(page, deleted)).toHaveCount(0, { timeout: 10_000 });
  // The reader says so, instead of showing it as if it were still there.
  await expect(reader.getByRole("alert")).toContainText("That message no longer exists");

  // Read elsewhere: the count goes down here too.
  const arrivedUid = await uidOf(raw, arrived);
  const lock2 = await raw.getMailboxLock("INBOX");
  try {
    await raw.messageFlagsAdd(String(arrivedUid), ["\\Seen"], { uid: true });
  } finally {
    lock2.release();
  }
  await expect(inboxLink(page)).toHaveAccessibleName(before > 0 ? `Inbox ${before} unread` : "Inbox");
  expect(await sameDocument(page)).toBe(true);
});

test("after Dovecot restarts under an open page, new mail still appears", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, FRANK);
  await markDocument(page);
  const stack = (command: string) => execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", command], { stdio: "ignore" });
  stack("imap-stop");
  try {
    // The page goes on showing what it has meanwhile.
    await expect(list(page).getByRole("listitem").first()).toBeVisible();
  } finally {
    stack("imap-start");
  }
  raw.close();
  raw = await rawClient(FRANK);
  const subject = `After the restart ${run}`;
  await deliver(subject);
  await expect(row(page, subject)).toBeVisible({ timeout: 45_000 });
  expect(await sameDocument(page)).toBe(true);
});

test("a second tab sees a message moved in the first", async ({ page, context }) => {
  await signIn(page, FRANK);
  const second = await context.newPage();
  await second.goto("/mail");
  const subject = `Moved in one tab ${run}`;
  await deliver(subject);
  await expect(row(page, subject)).toBeVisible({ timeout: 10_000 });
  await expect(row(second, subject)).toBeVisible({ timeout: 10_000 });
  await markDocument(second);

  await row(page, subject).getByRole("checkbox").click();
  await page.getByRole("toolbar", { name: "Message actions" }).getByRole("button", { name: "Archive" }).click();
  await expect(row(page, subject)).toHaveCount(0);
  await expect(row(second, subject)).toHaveCount(0, { timeout: 10_000 });
  expect(await sameDocument(second)).toBe(true);
});

interface RecordedNotification {
  title: string;
  body: string;
  click: () => void;
}
type NotificationWindow = Window & { notifications: RecordedNotification[]; permissionAsked: number };

test("notifications: asked only from Settings' button, then new mail shows sender and subject, and a click opens it", async ({ page }) => {
  // The browser's Notification recorded, not shown; the tab counts as in the background.
  await page.addInitScript(() => {
    const w = window as unknown as NotificationWindow;
    w.notifications = [];
    w.permissionAsked = 0;
    let permission = sessionStorage.getItem("permission") ?? "default";
    class RecordingNotification {
      static get permission() {
        return permission;
      }
      static async requestPermission() {
        w.permissionAsked += 1;
        permission = "granted";
        sessionStorage.setItem("permission", permission);
        return permission;
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options?: { body?: string }) {
        w.notifications.push({ title, body: options?.body ?? "", click: () => this.onclick?.() });
      }
      close() {}
    }
    Object.defineProperty(window, "Notification", { value: RecordingNotification, configurable: true });
    document.hasFocus = () => false;
  });
  await signIn(page, FRANK);
  expect(await page.evaluate(() => (window as unknown as NotificationWindow).permissionAsked)).toBe(0);

  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Notifications" });
  await expect(section.getByRole("status")).toHaveText(/Notifications are off/);
  await section.getByRole("button", { name: "Enable notifications" }).click();
  await expect(section.getByRole("status")).toHaveText(/Notifications are on/);
  expect(await page.evaluate(() => (window as unknown as NotificationWindow).permissionAsked)).toBe(1);
  await expect(section.getByRole("button", { name: "Turn off notifications" })).toBeVisible();

  await page.goto("/mail");
  await expect(list(page).getByRole("listitem").first()).toBeVisible();
  const subject = `Notify me ${run}`;
  await deliver(subject);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as NotificationWindow).notifications.map((n) => `${n.title} | ${n.body}`)), { timeout: 15_000 })
    .toContain(`Grace Hopper | ${subject}`);
  await page.evaluate((s) => (window as unknown as NotificationWindow).notifications.find((n) => n.body === s)?.click(), subject);
  await expect(page.getByRole("region", { name: "Message", exact: true }).getByRole("heading", { name: subject })).toBeVisible();
});
