import { expect, test, type Page } from "@playwright/test";
import type { ImapFlow } from "imapflow";
import { CAROL, messagesIn, rawClient } from "./imap";
import { hydrated } from "./compose-support";

// Issue 11, conversations: a thread of five messages across carol's Inbox (three) and Sent (two,
// her replies), with real Message-ID / In-Reply-To / References, appended in the test.
const run = Math.random().toString(36).slice(2, 7);
// Carol's Inbox is shared with other specs, whose mail may sort above the thread, and the list
// renders only the rows in (and near) view: a tall window keeps all three of them rendered.
test.use({ viewport: { width: 1280, height: 1600 } });
const SUBJECT = `Boat trip ${run}`;
let raw: ImapFlow;

const people = {
  priya: "Priya Patel <priya@example.org>",
  carol: "Carol <carol@example.test>",
  zoe: "Zoe Zhang <zoe@example.org>",
};
// Oldest first; the first is read, the rest of the Inbox part unread.
const thread = [
  { name: "a", folder: "INBOX", from: people.priya, text: "Shall we take the boat on Sunday?", seen: true },
  { name: "b", folder: "Sent", from: people.carol, text: "Yes, let's go at ten.", seen: true },
  { name: "c", folder: "INBOX", from: people.priya, text: "Ten works, I will bring lunch.", seen: false },
  { name: "d", folder: "Sent", from: people.carol, text: "Great, I will ask Zoe too.", seen: true },
  { name: "e", folder: "INBOX", from: people.zoe, text: "Count me in, see you at the pier.", seen: false },
] as const;
const id = (name: string) => `<${name}.${run}@example.org>`;

test.beforeAll(async () => {
  raw = await rawClient();
  const base = Date.now() - 5 * 3600_000;
  const chain: string[] = [];
  const sources = thread.map((m, i) => {
    const lines = [
      `From: ${m.from}`,
      `To: ${m.from === people.carol ? people.priya : people.carol}`,
      `Subject: ${i === 0 ? SUBJECT : `Re: ${SUBJECT}`}`,
      `Date: ${new Date(base + i * 3600_000).toUTCString()}`,
      `Message-ID: ${id(m.name)}`,
    ];
    if (chain.length) lines.push(`In-Reply-To: ${chain[chain.length - 1]}`, `References: ${chain.join(" ")}`);
    chain.push(id(m.name));
    return { m, source: [...lines, "", m.text, ""].join("\r\n") };
  });
  for (const { m, source } of sources) await raw.append(m.folder, source, m.seen ? ["\\Seen"] : []);
});
test.afterAll(async () => {
  // Carol's Inbox is shared with other specs: the thread goes, so runs do not pile up above them.
  for (const folder of ["INBOX", "Sent", "Archive"]) {
    const lock = await raw.getMailboxLock(folder);
    try {
      const uids = (await raw.search({ header: { "message-id": `.${run}@example.org` } }, { uid: true })) || [];
      if (uids.length) await raw.messageDelete(uids.join(","), { uid: true });
    } finally {
      lock.release();
    }
  }
  await raw.logout();
});

// The setting is carol's, kept on the server: whatever happened in the test, it is left on (the default).
test.afterEach(async ({ page, baseURL }) => {
  const response = await page.request.put("/api/settings", { data: { conversations: true }, headers: { Origin: new URL(baseURL!).origin } });
  expect(response.ok()).toBe(true);
});

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(CAROL.email);
  await page.getByLabel("Password").fill(CAROL.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/mail/);
  await expect(page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: /^Inbox/ })).toBeVisible();
  await hydrated(page);
}

const list = (page: Page) => page.getByRole("region", { name: "Messages", exact: true });
const rows = (page: Page) => list(page).getByRole("listitem").filter({ hasText: run });

async function setConversations(page: Page, on: boolean) {
  await list(page).getByRole("button", { name: "Sort" }).click();
  const item = page.getByRole("menuitemcheckbox", { name: "Conversations" });
  await expect(item).toHaveAttribute("aria-checked", on ? "false" : "true");
  await item.click();
}

test("a thread across Inbox and Sent is one row, reads as a stack oldest first, switches off to its Inbox messages, and archives and comes back as one", async ({ page }) => {
  await signIn(page);
  // On by default: one row for the conversation, named by its subject, with its Inbox count.
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(SUBJECT);
  await expect(rows(page).getByRole("button")).toContainText("Priya, Zoe");
  await expect(rows(page).getByRole("button")).toContainText("3 messages");
  await expect(rows(page).getByRole("button")).toContainText("Unread");

  // The reader: five messages, oldest first, Inbox and Sent interleaved.
  await rows(page).getByRole("button").click();
  const reader = page.getByRole("region", { name: "Conversation" });
  await expect(reader.getByRole("heading", { name: new RegExp(SUBJECT) })).toBeVisible();
  const stack = reader.getByRole("list", { name: "Messages in this conversation" }).getByRole("listitem");
  await expect(stack).toHaveCount(5);
  const senders = ["Priya Patel", "Carol", "Priya Patel", "Carol", "Zoe Zhang"];
  for (const [i, sender] of senders.entries()) await expect(stack.nth(i).getByRole("button").first()).toContainText(sender);
  await expect(stack.nth(1)).toContainText("in Sent");
  // Read ones collapsed to a line with their preview; the unread ones and the newest open, each in its sandboxed frame.
  const first = stack.nth(0).getByRole("button").first();
  await expect(first).toHaveAttribute("aria-expanded", "false");
  await expect(stack.nth(1).getByRole("button").first()).toHaveAttribute("aria-expanded", "false");
  await expect(stack.nth(2).getByRole("button").first()).toHaveAttribute("aria-expanded", "true");
  await expect(stack.nth(4).getByRole("button").first()).toHaveAttribute("aria-expanded", "true");
  await expect(stack.nth(4).locator('iframe[title="Message body"]')).toBeVisible();
  await expect(stack.nth(4).frameLocator('iframe[title="Message body"]').locator("body")).toContainText("Count me in");
  // A collapsed one opens by keyboard.
  await first.focus();
  await page.keyboard.press("Enter");
  await expect(first).toHaveAttribute("aria-expanded", "true");
  await expect(stack.nth(0).frameLocator('iframe[title="Message body"]').locator("body")).toContainText("Shall we take the boat");
  // Opening it marked the unread ones read, on the server too.
  await expect.poll(async () => (await messagesIn(raw, "INBOX")).filter((m) => m.subject.includes(run) && !m.flags.has("\\Seen")).length).toBe(0);

  // Off: the three Inbox messages, one row each (the Sent replies stay in Sent); remembered after a reload.
  await setConversations(page, false);
  await expect(rows(page)).toHaveCount(3);
  await page.reload();
  await expect(rows(page)).toHaveCount(3);
  // The rows are the server's HTML: the Sort button answers once React has taken the page over.
  await hydrated(page);
  await expect(list(page)).not.toContainText("conversations");
  await setConversations(page, true);
  await expect(rows(page)).toHaveCount(1);

  // An action on the row acts on all of its Inbox messages; Undo brings all of them back.
  await rows(page).getByRole("checkbox").check();
  await page.getByRole("toolbar", { name: "Message actions" }).getByRole("button", { name: "Archive" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Archived: 3 messages" })).toBeVisible();
  await expect(rows(page)).toHaveCount(0);
  const ofRun = async (folder: string) => (await messagesIn(raw, folder)).filter((m) => m.subject.includes(run)).length;
  await expect.poll(() => ofRun("INBOX")).toBe(0);
  await expect.poll(() => ofRun("Archive")).toBe(3);
  expect(await ofRun("Sent")).toBe(2);
  await page.getByRole("status").filter({ hasText: "Archived: 3 messages" }).getByRole("button", { name: "Undo" }).click();
  await expect.poll(() => ofRun("INBOX")).toBe(3);
  await expect.poll(() => ofRun("Archive")).toBe(0);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).getByRole("button")).toContainText("3 messages");
});
