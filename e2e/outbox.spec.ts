import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { extraPorts, startInstance, type AppInstance } from "./app-instance";
import {
  addRecipient,
  countMessages,
  findMessage,
  mailStack,
  openMessage,
  pidListeningOn,
  postfixQueueEmpty,
  setUndoWindow,
  signIn,
  USERS,
  withImap,
} from "./compose-support";

// The outbox from the browser: Send queues on the server, the toast offers Undo, Send later waits,
// and a message survives a stopped Postfix, a closed browser and a killed app. Every outcome is
// read on the server side: the recipient's and the sender's folders over IMAP, Postfix's queue.
const run = Date.now().toString(36);
test.describe.configure({ mode: "serial" });

const toastWith = (page: Page, text: string | RegExp) => page.getByRole("status").filter({ hasText: text });
const sentToast = (page: Page) => page.getByRole("status").getByText("Sent", { exact: true });
const outboxLink = (page: Page) =>
  page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: /^Outbox/ });
const sendButton = (composer: Locator) => composer.getByRole("button", { name: "Send", exact: true });

async function compose(page: Page) {
  await page.getByRole("button", { name: "Compose" }).click();
  const composer = page.getByRole("region", { name: "New message" });
  await expect(composer.getByRole("combobox", { name: "To", exact: true })).toBeVisible();
  return composer;
}

const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** axe-core, as browser extensions run it, on the page as it stands. */
async function axeClean(page: Page, what: string) {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"], iframes: false });
    return result.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`,
    );
  });
  expect(violations, `${what}: axe violations`).toEqual([]);
}

/** Resolves once `done` holds; until then `never` must stay true (checked on every round). */
async function holdsUntil(label: string, never: () => Promise<boolean> | boolean, until: number) {
  while (Date.now() < until) {
    expect(await never(), label).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the outbox is empty and Postfix has handed everything on: counts are final then. */
async function settled(page: Page) {
  await expect
    .poll(async () => (await (await page.request.get("/api/outbox")).json()).items.length, {
      timeout: 30_000,
    })
    .toBe(0);
  await expect.poll(() => postfixQueueEmpty(), { timeout: 20_000 }).toBe(true);
}

test("Undo within the window: nothing is delivered, and the composer reopens with everything, the attachment byte-identical", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const subject = `Outbox undo ${run}`;
  const original = `<undo-original-${run}@example.test>`;
  const file = randomBytes(200_000);
  // A message from Bob in Alice's Inbox, so that what is undone is a reply with its headers.
  await withImap(USERS.alice, (client) =>
    client.append(
      "INBOX",
      `From: Bob Example <bob@example.test>\r\nTo: alice@example.test\r\nSubject: ${subject}\r\nMessage-ID: ${original}\r\nDate: ${new Date().toUTCString()}\r\n\r\nPlease reply.\r\n`,
    ),
  );
  await signIn(page, USERS.alice);
  await setUndoWindow(page, 10);
  const reader = await openMessage(page, subject);
  await reader.getByRole("button", { name: "Reply", exact: true }).click();
  let composer = page.getByRole("region", { name: "New message" });
  await expect(composer.getByLabel("Subject")).toHaveValue(`Re: ${subject}`);
  await composer.getByRole("button", { name: "Cc and Bcc" }).click();
  await addRecipient(page, "Cc", "Carol Example <carol@example.test>");
  const editor = page.getByRole("textbox", { name: "Message" });
  await editor.click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.type("Undo me, then send me.");
  await composer
    .getByLabel("Attach files")
    .setInputFiles({ name: "plan ü.bin", mimeType: "application/octet-stream", buffer: file });
  await expect(composer.getByRole("list", { name: "Attachments" }).getByRole("progressbar")).toHaveCount(0, {
    timeout: 30_000,
  });

  const sentAt = Date.now();
  await sendButton(composer).click();
  await expect(composer).toBeHidden();
  const toast = toastWith(page, /Sending in \d+ s…/);
  await expect(toast).toBeVisible();
  await toast.getByRole("button", { name: "Undo" }).click();

  // The composer is back with everything it had.
  composer = page.getByRole("region", { name: "New message" });
  await expect(composer.getByLabel("Subject")).toHaveValue(`Re: ${subject}`);
  await expect(
    composer
      .getByRole("list", { name: "To recipients" })
      .getByRole("listitem", { name: /bob@example\.test/ }),
  ).toBeVisible();
  await expect(
    composer
      .getByRole("list", { name: "Cc recipients" })
      .getByRole("listitem", { name: "Carol Example <carol@example.test>" }),
  ).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Message" })).toContainText("Undo me, then send me.");
  await expect(
    composer.getByRole("list", { name: "Attachments" }).getByRole("listitem", { name: /plan ü\.bin/ }),
  ).toBeVisible();
  // …and the undone copy in Drafts is the message as it was built, attachment and reply headers too.
  const draft = await findMessage(USERS.alice, "Drafts", `Re: ${subject}`);
  expect(draft!.parsed.inReplyTo).toBe(original);
  expect(draft!.parsed.attachments[0]!.content.equals(file)).toBe(true);

  // Past the end of the window (and a worker poll) nothing went anywhere.
  await holdsUntil(
    "nothing delivered or queued",
    async () => postfixQueueEmpty() && (await countMessages(USERS.bob, "INBOX", `Re: ${subject}`)) === 0,
    sentAt + 13_000,
  );
  expect(await countMessages(USERS.alice, "Sent", `Re: ${subject}`)).toBe(0);

  // `z` undoes too; then, sent for real, the reopened message reaches Bob whole.
  await sendButton(composer).click();
  await expect(toastWith(page, /Sending in \d+ s…/)).toBeVisible();
  await page.keyboard.press("z");
  composer = page.getByRole("region", { name: "New message" });
  await expect(composer.getByLabel("Subject")).toHaveValue(`Re: ${subject}`);
  await expect(composer.getByRole("list", { name: "Attachments" }).getByRole("listitem")).toHaveCount(1);
  await setUndoWindow(page, 0);
  await sendButton(composer).click();
  await expect(sentToast(page)).toBeVisible({ timeout: 30_000 });
  const atBob = await findMessage(USERS.bob, "INBOX", `Re: ${subject}`);
  expect(atBob!.parsed.inReplyTo).toBe(original);
  expect(atBob!.parsed.cc).toMatchObject({
    value: [{ address: "carol@example.test", name: "Carol Example" }],
  });
  expect(atBob!.parsed.text).toContain("Undo me, then send me.");
  expect(atBob!.parsed.attachments.map((a) => a.filename)).toEqual(["plan ü.bin"]);
  expect(atBob!.parsed.attachments[0]!.content.equals(file)).toBe(true);
  await settled(page);
  expect(await countMessages(USERS.bob, "INBOX", `Re: ${subject}`)).toBe(1);
  expect(await countMessages(USERS.alice, "Sent", `Re: ${subject}`)).toBe(1);
  expect(await countMessages(USERS.alice, "Drafts", `Re: ${subject}`)).toBe(0);
});

test("Send later: a past time is refused; a time shortly ahead is delivered then, not before", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const subject = `Outbox later ${run}`;
  await signIn(page, USERS.alice);
  const composer = await compose(page);
  await addRecipient(page, "To", "bob@example.test");
  await composer.getByLabel("Subject").fill(subject);
  await composer.getByRole("button", { name: "Send later" }).click();
  const dialog = page.getByRole("dialog", { name: "Send later" });
  await expect(dialog.getByRole("button", { name: /Tomorrow morning/ })).toBeVisible();
  await expect(dialog.getByRole("button", { name: /Monday morning/ })).toBeVisible();
  const sendAt = dialog.getByLabel("Send at");
  await axeClean(page, "Send later dialog");

  // The field is in the browser's (the user's) time zone: local date-time strings made there.
  const localIn = (ms: number) =>
    page.evaluate((offset) => {
      const at = new Date(Date.now() + offset);
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
    }, ms);
  await sendAt.fill(await localIn(-60 * 60_000));
  await dialog.getByRole("button", { name: "Schedule" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(
    "That time has already passed. Choose a time in the future.",
  );

  const ahead = 15_000;
  const due = Math.ceil((Date.now() + ahead) / 1000) * 1000;
  await sendAt.fill(await localIn(due - Date.now()));
  await dialog.getByRole("button", { name: "Schedule" }).click();
  await expect(dialog).toBeHidden();
  await expect(composer).toBeHidden();
  await expect(toastWith(page, /^Scheduled for today \d\d:\d\d\./)).toBeVisible();

  // The Outbox shows it, with a count in the folder list and its state in words.
  await expect(outboxLink(page)).toHaveAccessibleName("Outbox 1 waiting");
  await outboxLink(page).click();
  const row = page
    .getByRole("list", { name: "Messages in Outbox" })
    .getByRole("link", { name: new RegExp(subject) });
  await expect(row).toContainText(/scheduled for today \d\d:\d\d/);

  // Not before its time…
  await holdsUntil(
    "not delivered before its time",
    async () => postfixQueueEmpty() && (await countMessages(USERS.bob, "INBOX", subject)) === 0,
    due - 500,
  );
  // …and then, once.
  const atBob = await findMessage(USERS.bob, "INBOX", subject, 30_000);
  expect(atBob).not.toBeNull();
  expect(Date.now()).toBeGreaterThanOrEqual(due);
  await settled(page);
  expect(await countMessages(USERS.bob, "INBOX", subject)).toBe(1);
  expect(await countMessages(USERS.alice, "Sent", subject)).toBe(1);
  await expect(outboxLink(page)).toHaveAccessibleName("Outbox");
});

test("Postfix stopped: the Outbox says retrying and why; once it is back, Send now delivers it once and files it in Sent", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const subject = `Outbox retry ${run}`;
  await signIn(page, USERS.alice);
  await setUndoWindow(page, 0);
  const composer = await compose(page);
  await addRecipient(page, "To", "bob@example.test");
  await composer.getByLabel("Subject").fill(subject);
  mailStack("smtp-stop");
  try {
    await sendButton(composer).click();
    await expect(composer).toBeHidden();
    // Said in the toast, as an alert: the message has not gone, though nothing needs doing.
    await expect(
      page
        .getByRole("alert")
        .filter({ hasText: /Not sent yet: The mail server is unreachable\. Letterbox will try again/ }),
    ).toBeVisible({ timeout: 30_000 });
    await outboxLink(page).click();
    const row = page
      .getByRole("list", { name: "Messages in Outbox" })
      .getByRole("link", { name: new RegExp(subject) });
    await expect(row).toContainText(
      /retrying: the mail server is unreachable; next try \d\d:\d\d, attempt 2/,
    );
    await row.click();
    const opened = page.getByRole("region", { name: "Outbox message" });
    await expect(opened.getByRole("heading", { name: subject })).toBeVisible();
    await expect(opened.getByRole("status")).toContainText("Retrying: the mail server is unreachable");
    await axeClean(page, "Outbox view");
    expect(await countMessages(USERS.bob, "INBOX", subject)).toBe(0);
  } finally {
    mailStack("smtp-start");
  }
  const opened = page.getByRole("region", { name: "Outbox message" });
  await opened.getByRole("button", { name: "Send now" }).click();
  await expect(sentToast(page)).toBeVisible({ timeout: 30_000 });
  expect(await findMessage(USERS.bob, "INBOX", subject)).not.toBeNull();
  await settled(page);
  expect(await countMessages(USERS.bob, "INBOX", subject)).toBe(1);
  expect(await countMessages(USERS.alice, "Sent", subject)).toBe(1);
});

test("the browser closed right after Send: the message is still delivered", async ({ browser, page }) => {
  const subject = `Outbox closed tab ${run}`;
  const context = await browser.newContext();
  const tab = await context.newPage();
  await signIn(tab, USERS.alice);
  await setUndoWindow(tab, 5);
  const composer = await compose(tab);
  await addRecipient(tab, "To", "bob@example.test");
  await composer.getByLabel("Subject").fill(subject);
  await sendButton(composer).click();
  await expect(toastWith(tab, /Sending in \d+ s…/)).toBeVisible();
  await context.close();
  expect(await findMessage(USERS.bob, "INBOX", subject, 30_000)).not.toBeNull();
  await signIn(page, USERS.alice);
  await settled(page);
  expect(await countMessages(USERS.bob, "INBOX", subject)).toBe(1);
  expect(await countMessages(USERS.alice, "Sent", subject)).toBe(1);
  // Alice's window back to the default for the specs after this one.
  await setUndoWindow(page, 10);
});

test.describe("an app killed with SIGKILL", () => {
  const [port] = extraPorts();
  const url = `http://127.0.0.1:${port}`;
  test.use({ baseURL: url });
  let dataDir: string;
  let app: AppInstance | undefined;
  test.beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "letterbox-outbox-kill-"));
  });
  test.afterAll(async () => {
    mailStack("smtp-start");
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const start = () => startInstance(port, { LETTERBOX_DATA_DIR: dataDir, LETTERBOX_REDIS_URL: "" });

  test("with messages waiting, scheduled and mid-retry: after the restart each is delivered exactly once", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    app = await start();
    await signIn(page, USERS.alice);
    const subjects = {
      waiting: `Outbox kill waiting ${run}`,
      scheduled: `Outbox kill scheduled ${run}`,
      retrying: `Outbox kill retrying ${run}`,
    };
    const enqueue = async (subject: string, sendAt: number | null) => {
      const response = await page.request.post("/api/outbox", {
        headers: { Origin: url },
        data: {
          to: [{ name: "", address: "bob@example.test" }],
          subject,
          format: "html",
          body: `<p>${subject}</p>`,
          idempotencyKey: randomUUID(),
          sendAt,
        },
      });
      expect(response.status()).toBe(201);
      return (await response.json()).item as { id: string; state: string };
    };
    const items = async () =>
      (await (await page.request.get("/api/outbox")).json()).items as {
        id: string;
        state: string;
        subject: string;
      }[];

    // Mid-retry: due soon while Postfix is down, so its first try fails and a retry waits. A few
    // seconds ahead, not half of one: on a loaded machine the request can reach the server after a
    // time that close, which it then rightly refuses as past (SEND_AT_PAST).
    mailStack("smtp-stop");
    let retrying: { id: string };
    try {
      retrying = await enqueue(subjects.retrying, Date.now() + 3_000);
      await expect
        .poll(async () => (await items()).find((i) => i.id === retrying.id)?.state, { timeout: 30_000 })
        .toBe("retrying");
    } finally {
      mailStack("smtp-start");
    }
    await setUndoWindow(page, 30);
    const waiting = await enqueue(subjects.waiting, null);
    const scheduled = await enqueue(subjects.scheduled, Date.now() + 20_000);
    expect([waiting.state, scheduled.state]).toEqual(["waiting", "scheduled"]);

    await app.kill();
    expect(pidListeningOn(port)).toBeNull();
    app = await start();

    // The same browser goes on (sessions outlive a restart); the retry is asked to go now.
    await expect
      .poll(async () => (await items()).map((i) => i.state).sort(), { timeout: 15_000 })
      .toEqual(["retrying", "scheduled", "waiting"]);
    const now = await page.request.post(`/api/outbox/${retrying!.id}/send-now`, { headers: { Origin: url } });
    expect(now.status()).toBe(200);

    for (const subject of Object.values(subjects))
      expect(await findMessage(USERS.bob, "INBOX", subject, 60_000), subject).not.toBeNull();
    await settled(page);
    for (const subject of Object.values(subjects)) {
      expect(await countMessages(USERS.bob, "INBOX", subject), subject).toBe(1);
      expect(await countMessages(USERS.alice, "Sent", subject), subject).toBe(1);
    }
  });
});
