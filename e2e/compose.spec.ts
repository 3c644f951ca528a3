import { randomBytes } from "node:crypto";
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import {
  addRecipient,
  findMessage,
  openMessage,
  pidListeningOn,
  rssBytes,
  setUndoWindow,
  signIn,
  USERS,
} from "./compose-support";

const run = Date.now().toString(36);
const bigFile = randomBytes(6 * 1024 * 1024 + 123);
const smallFile = Buffer.from("Protokoll – Übersicht\nZeile 2: äöü ß €\n", "utf8");
const SMALL_NAME = "Résumé März 2026 – 日本.txt";
// Unlike any seeded subject: the reading tests look messages up by theirs.
const firstSubject = `Grüße zum Projektstart ✉ Plan für März ${run}`;

async function compose(page: Page) {
  await page.getByRole("button", { name: "Compose" }).click();
  const composer = page.getByRole("region", { name: "New message" });
  await expect(composer.getByRole("combobox", { name: "To", exact: true })).toBeVisible();
  return composer;
}

/** Signed in with no undo window: these tests are about what is delivered, not about Undo (e2e/outbox.spec.ts). */
async function signInToSend(page: Page, user: (typeof USERS)[keyof typeof USERS]) {
  await signIn(page, user);
  await setUndoWindow(page, 0);
}

async function writeBody(page: Page, text: string) {
  const editor = page.getByRole("textbox", { name: "Message" });
  await editor.click();
  await page.keyboard.type(text);
}

test.describe.configure({ mode: "serial" });

test.describe("compose and send", () => {
  test("alice sends bob two attachments and a non-ASCII subject; bob's INBOX holds them byte for byte", async ({
    page,
  }) => {
    await signInToSend(page, USERS.alice);
    const composer = await compose(page);
    await addRecipient(page, "To", "Bob Example <bob@example.test>");
    await expect(
      composer
        .getByRole("list", { name: "To recipients" })
        .getByRole("listitem", { name: "Bob Example <bob@example.test>" }),
    ).toBeVisible();
    await composer.getByLabel("Subject").fill(firstSubject);
    await writeBody(page, "Hello Bob, the files are attached.");
    await composer.getByLabel("Attach files").setInputFiles([
      { name: "big.bin", mimeType: "application/octet-stream", buffer: bigFile },
      { name: SMALL_NAME, mimeType: "text/plain", buffer: smallFile },
    ]);
    const attachments = composer.getByRole("list", { name: "Attachments" });
    await expect(attachments.getByRole("listitem")).toHaveCount(2);
    await expect(attachments.getByRole("progressbar")).toHaveCount(0, { timeout: 30_000 });
    // The draft is saved in Drafts while the user writes.
    await expect(composer.getByRole("status", { name: "Draft status" })).toHaveText("Saved", {
      timeout: 15_000,
    });
    expect(await findMessage(USERS.alice, "Drafts", firstSubject, 0)).not.toBeNull();

    await composer.getByRole("button", { name: "Send", exact: true }).click();
    await expect(page.getByRole("status").getByText("Sent", { exact: true })).toBeVisible();
    await expect(composer).toBeHidden();

    const atBob = await findMessage(USERS.bob, "INBOX", firstSubject);
    expect(atBob).not.toBeNull();
    expect(atBob!.parsed.subject).toBe(firstSubject);
    expect(atBob!.parsed.text).toContain("Hello Bob, the files are attached.");
    expect(atBob!.parsed.html).toContain("Hello Bob, the files are attached.");
    const files = atBob!.parsed.attachments;
    expect(files.map((f) => f.filename)).toEqual(["big.bin", SMALL_NAME]);
    expect(files[0]!.content.equals(bigFile)).toBe(true);
    expect(files[1]!.content.equals(smallFile)).toBe(true);

    const sent = await findMessage(USERS.alice, "Sent", firstSubject, 5000);
    expect(sent?.parsed.messageId).toBe(atBob!.parsed.messageId);
    expect(await findMessage(USERS.alice, "Drafts", firstSubject, 0)).toBeNull();
  });

  test("bob replies: alice's copy threads with In-Reply-To and References, and the original is \\Answered", async ({
    page,
  }) => {
    await signInToSend(page, USERS.bob);
    const reader = await openMessage(page, firstSubject);
    await reader.getByRole("button", { name: "Reply", exact: true }).click();
    const composer = page.getByRole("region", { name: "New message" });
    await expect(composer.getByLabel("Subject")).toHaveValue(`Re: ${firstSubject}`);
    await expect(composer.getByRole("list", { name: "To recipients" }).getByRole("listitem")).toHaveCount(1);
    const editor = page.getByRole("textbox", { name: "Message" });
    await expect(editor).toContainText("wrote:");
    await expect(editor.locator("blockquote")).toContainText("Hello Bob, the files are attached.");
    await editor.click();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type("Thanks, got them.");
    await composer.getByRole("button", { name: "Send", exact: true }).click();
    await expect(page.getByRole("status").getByText("Sent", { exact: true })).toBeVisible();

    const original = await findMessage(USERS.bob, "INBOX", firstSubject);
    const reply = await findMessage(USERS.alice, "INBOX", `Re: ${firstSubject}`);
    expect(reply).not.toBeNull();
    expect(reply!.parsed.inReplyTo).toBe(original!.parsed.messageId);
    expect([reply!.parsed.references].flat()).toContain(original!.parsed.messageId);
    expect(reply!.parsed.text).toMatch(/^> Hello Bob, the files are attached\./m);
    expect(original!.flags.has("\\Answered")).toBe(true);
  });

  test("bob forwards it to carol with the attachments", async ({ page }) => {
    await signInToSend(page, USERS.bob);
    const reader = await openMessage(page, firstSubject);
    await reader.getByRole("button", { name: "Forward" }).click();
    const composer = page.getByRole("region", { name: "New message" });
    await expect(composer.getByLabel("Subject")).toHaveValue(`Fwd: ${firstSubject}`);
    await expect(composer.getByRole("list", { name: "Attachments" }).getByRole("listitem")).toHaveCount(2);
    await addRecipient(page, "To", "carol@example.test");
    await composer.getByRole("button", { name: "Send", exact: true }).click();
    await expect(page.getByRole("status").getByText("Sent", { exact: true })).toBeVisible();

    const atCarol = await findMessage(USERS.carol, "INBOX", `Fwd: ${firstSubject}`);
    expect(atCarol!.parsed.attachments.map((a) => a.filename)).toEqual(["big.bin", SMALL_NAME]);
    expect(atCarol!.parsed.attachments[0]!.content.equals(bigFile)).toBe(true);
    const original = await findMessage(USERS.bob, "INBOX", firstSubject);
    expect(original!.flags.has("$Forwarded")).toBe(true);
  });

  test("a draft reopens from Drafts with its recipients, body and attachment", async ({ page }) => {
    const subject = `Unfinished ${run}`;
    await signIn(page, USERS.alice);
    const composer = await compose(page);
    await addRecipient(page, "To", "carol@example.test");
    await composer.getByLabel("Subject").fill(subject);
    await writeBody(page, "Half a thought");
    await composer
      .getByLabel("Attach files")
      .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("notes") });
    await expect(composer.getByRole("list", { name: "Attachments" }).getByRole("progressbar")).toHaveCount(0);
    await expect(composer.getByRole("status", { name: "Draft status" })).toHaveText("Saved", {
      timeout: 15_000,
    });
    await composer.getByRole("button", { name: "Close" }).click();
    await expect(composer).toBeHidden();

    await page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: "Drafts" }).click();
    const list = page.getByRole("region", { name: "Messages", exact: true });
    await list
      .getByRole("button", { name: new RegExp(subject) })
      .first()
      .click();
    const reopened = page.getByRole("region", { name: "New message" });
    await expect(reopened.getByLabel("Subject")).toHaveValue(subject);
    await expect(
      reopened
        .getByRole("list", { name: "To recipients" })
        .getByRole("listitem", { name: "carol@example.test" }),
    ).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Message" })).toContainText("Half a thought");
    await expect(
      reopened.getByRole("list", { name: "Attachments" }).getByRole("listitem", { name: "notes.txt" }),
    ).toBeVisible();
  });

  test("a message being written survives a closed tab", async ({ page, context }) => {
    await signIn(page, USERS.alice);
    const composer = await compose(page);
    await addRecipient(page, "To", "bob@example.test");
    await composer.getByLabel("Subject").fill(`Kept locally ${run}`);
    await page.close();
    const again = await context.newPage();
    await again.goto("/mail");
    const restored = again.getByRole("region", { name: "New message" });
    await expect(restored.getByLabel("Subject")).toHaveValue(`Kept locally ${run}`);
    await restored.getByRole("button", { name: "Discard" }).click();
    await expect(restored).toBeHidden();
  });
});

test.describe("signing out while writing", () => {
  test("the draft is saved to Drafts first and the browser keeps no copy", async ({ page }) => {
    const subject = `Signed out mid-sentence ${run}`;
    await signIn(page, USERS.alice);
    const composer = await compose(page);
    await addRecipient(page, "To", "bob@example.test");
    await composer.getByLabel("Subject").fill(subject);
    // Straight to Sign out, before the autosave's pause has passed.
    // Sign out lives in the account menu (issue 10).
    await page.getByRole("button", { name: "Account" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    const kept = await page.evaluate(() =>
      Object.keys(window.localStorage).filter((k) => k.startsWith("letterbox:composer")),
    );
    expect(kept).toEqual([]);
    const draft = await findMessage(USERS.alice, "Drafts", subject);
    expect(draft?.flags.has("\\Draft")).toBe(true);
  });
});

test.describe("composer input", () => {
  test("suggests addresses the user has written to, and the keyboard picks one", async ({ page }) => {
    await signIn(page, USERS.alice);
    const composer = await compose(page);
    const to = page.getByRole("combobox", { name: "To", exact: true });
    await to.fill("bob");
    const suggestions = page.getByRole("listbox", { name: "Suggestions for To" });
    // Bob's name is the one last seen with his address: "Bob Example" as alice wrote it above, or
    // whatever name his own mail carried, read since (other specs sign in as him).
    const bob = suggestions.getByRole("option", { name: /^[^<]*<bob@example\.test>$/ });
    await expect(bob).toBeVisible();
    const name = (await bob.textContent())!.trim();
    // The first suggestion is highlighted already (issue 10): Enter takes it.
    await to.press("Enter");
    await expect(composer.getByRole("list", { name: "To recipients" }).getByRole("listitem", { name })).toBeVisible();
    await composer.getByRole("button", { name: "Discard" }).click();
  });

  test("dropped and pasted files become attachments", async ({ page }) => {
    await signIn(page, USERS.alice);
    const composer = await compose(page);
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(["dropped bytes"], "dropped.txt", { type: "text/plain" }));
      return transfer;
    });
    await composer.getByLabel("Subject").dispatchEvent("drop", { dataTransfer: dropped });
    await page.getByRole("textbox", { name: "Message" }).click();
    await page.getByRole("textbox", { name: "Message" }).evaluate((editor) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "", { type: "image/png" }));
      editor.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }),
      );
    });
    const attachments = composer.getByRole("list", { name: "Attachments" });
    await expect(attachments.getByRole("listitem", { name: "dropped.txt" })).toBeVisible();
    await expect(attachments.getByRole("listitem", { name: "pasted-image.png" })).toBeVisible();
    await expect(attachments.getByRole("progressbar")).toHaveCount(0);
    await attachments.getByRole("button", { name: "Remove dropped.txt" }).click();
    await expect(attachments.getByRole("listitem")).toHaveCount(1);
    await composer.getByRole("button", { name: "Discard" }).click();
  });

  test("plain-text mode sends text/plain only", async ({ page }) => {
    const subject = `Plain ${run}`;
    await signInToSend(page, USERS.alice);
    const composer = await compose(page);
    await addRecipient(page, "To", "bob@example.test");
    await composer.getByLabel("Subject").fill(subject);
    await composer.getByRole("button", { name: "Plain text" }).click();
    await page.getByRole("textbox", { name: "Message" }).fill("Just text,\nno markup.");
    await composer.getByRole("button", { name: "Send", exact: true }).click();
    await expect(page.getByRole("status").getByText("Sent", { exact: true })).toBeVisible();
    const atBob = await findMessage(USERS.bob, "INBOX", subject);
    expect(atBob!.parsed.html).toBe(false);
    expect(atBob!.parsed.text?.trim()).toBe("Just text,\nno markup.");
  });
});

test.describe("faults", () => {
  test("invalid addresses are marked before sending and nothing is sent", async ({ page }) => {
    await signIn(page, USERS.alice);
    const composer = await compose(page);
    await page
      .getByRole("combobox", { name: "To", exact: true })
      .fill("bob@example.test; bob@@example, Carol <carol@example.test>");
    await page.getByRole("combobox", { name: "To", exact: true }).press("Enter");
    const chips = composer.getByRole("list", { name: "To recipients" }).getByRole("listitem");
    await expect(chips).toHaveCount(3);
    await expect(
      composer.getByRole("listitem", { name: "bob@@example, not a valid address" }),
    ).toHaveAttribute("data-invalid", "true");
    await composer.getByLabel("Subject").fill(`Invalid ${run}`);
    await composer.getByRole("button", { name: "Send", exact: true }).click();
    await expect(composer.getByRole("alert")).toContainText("bob@@example");
    await expect(composer).toBeVisible();
    expect(await findMessage(USERS.bob, "INBOX", `Invalid ${run}`, 1500)).toBeNull();
  });

  test("a file over the server's limit is refused with a clear error", async ({ page }) => {
    await signIn(page, USERS.alice);
    const composer = await compose(page);
    // The composer checks a file against the server's limit once it knows it (shown beside the
    // buttons); a file added before that is refused by the server instead, in other words.
    await expect(composer.getByText(/^Up to \d+ MB of attachments$/)).toBeVisible();
    // Made in the page: 120 MB exceeds what the test stack's SIZE (150 MiB) leaves once base64-encoded.
    await composer.getByLabel("Attach files").evaluate((input: HTMLInputElement) => {
      const transfer = new DataTransfer();
      transfer.items.add(
        new File([new Uint8Array(120 * 1024 * 1024)], "huge.iso", { type: "application/octet-stream" }),
      );
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await expect(composer.getByRole("listitem", { name: "huge.iso" }).getByRole("alert")).toContainText(
      "accepts at most",
    );
  });

  test("the server refuses an upload over the limit before reading it", async ({ page, baseURL }) => {
    await signIn(page, USERS.alice);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const url = new URL("/api/uploads", baseURL);
    // Declares 1 GB and sends nothing: the answer must come from the declared size alone.
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(url, {
        method: "POST",
        headers: {
          Cookie: cookie,
          Origin: url.origin,
          "Content-Type": "application/octet-stream",
          "X-File-Name": "huge.bin",
          "Content-Length": String(1024 ** 3),
        },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error.code).toBe("UPLOAD_TOO_LARGE");
  });

  test("a recipient the server rejects: the others get it, the toast names the refused one, and a notice in Inbox says why", async ({
    page,
  }) => {
    const subject = `Partly ${run}`;
    await signInToSend(page, USERS.alice);
    const composer = await compose(page);
    await addRecipient(page, "To", "bob@example.test");
    await addRecipient(page, "To", "nobody@example.test");
    await composer.getByLabel("Subject").fill(subject);
    await composer.getByRole("button", { name: "Send", exact: true }).click();
    await expect(composer).toBeHidden();
    const alert = page.getByRole("alert").filter({ hasText: "refused" });
    await expect(alert).toContainText("Sent, but the mail server refused nobody@example.test", {
      timeout: 30_000,
    });
    expect(await findMessage(USERS.bob, "INBOX", subject)).not.toBeNull();
    // The delivery status notification (RFC 3464) names the refused recipient with the server's reply.
    const report = await findMessage(USERS.alice, "INBOX", `Undelivered Mail Returned to Sender: ${subject}`);
    expect(report!.parsed.text).toMatch(/Final-Recipient: rfc822; nobody@example\.test\s+Action: failed/);
    expect(report!.parsed.text).toMatch(/nobody@example\.test.*Recipient address rejected/);
    expect(await findMessage(USERS.alice, "Sent", subject, 5000)).not.toBeNull();
  });

  // A send while the mail server is down waits in the outbox and is retried: e2e/outbox.spec.ts.

  test("a 100 MB upload grows the server's memory by a few tens of megabytes at most", async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    await signIn(page, USERS.alice);
    const pid = pidListeningOn(Number(new URL(baseURL!).port));
    expect(pid).not.toBeNull();
    const body = Buffer.alloc(100 * 1024 * 1024, 0x61);
    const before = rssBytes(pid!);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid!))), 20);
    const response = await page.request.post("/api/uploads", {
      data: body,
      headers: {
        "Content-Type": "application/octet-stream",
        "X-File-Name": "hundred.bin",
        Origin: new URL(baseURL!).origin,
      },
      timeout: 100_000,
    });
    clearInterval(sampler);
    expect(response.status()).toBe(201);
    const upload = (await response.json()) as { id: string; size: number };
    expect(upload.size).toBe(body.length);
    const growth = (peak - before) / 2 ** 20;
    console.log(`server RSS growth during a 100 MB upload: ${growth.toFixed(1)} MiB`);
    expect(growth).toBeLessThan(48);
    const removed = await page.request.delete(`/api/uploads/${upload.id}`, {
      headers: { Origin: new URL(baseURL!).origin },
    });
    expect(removed.status()).toBe(204);
  });
});
