import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./compose-support";
import { appendMessages, messagesIn, rawClient } from "./imap";

// Issue 13, unusual servers, in the browser: hana's personal namespace is "INBOX." with "." as
// delimiter (RFC 2342; scripts/mail-stack/mail-stack.sh), as on Courier or Cyrus. The prefix is
// never shown — not in the folder tree, not in "Move to…", not in the New folder dialog — and the
// picker names every folder as the tree does. Only this spec signs in as hana in the browser.
const HANA = { email: "hana@example.test", password: "hana-password" };
const run = randomBytes(3).toString("hex");
const PROJECTS = `Projects ${run}`;
const Q1 = `Q1 ${run}`;
const SUBJECT = `Prefix ${run}`;

test("a server whose folders all sit under INBOX. shows no prefix anywhere, and names folders alike", async ({ page }) => {
  const raw = await rawClient(HANA);
  try {
    await raw.mailboxCreate(`INBOX.${PROJECTS}`);
    await raw.mailboxCreate(`INBOX.${PROJECTS}.${Q1}`);
    await raw.mailboxSubscribe(`INBOX.${PROJECTS}`);
    await raw.mailboxSubscribe(`INBOX.${PROJECTS}.${Q1}`);
    await appendMessages(raw, "INBOX", [SUBJECT]);

    await signIn(page, HANA);
    await hydrated(page);
    const nav = page.getByRole("navigation", { name: "Folders" });
    await expect(nav.getByRole("link", { name: Q1 })).toBeVisible();
    // What the tree shows (each link's text) and how it names the folder in full (its title).
    const tree = await nav.getByRole("link").evaluateAll((links) =>
      links.map((a) => ({ text: a.querySelector("[data-folder-name]")?.textContent ?? "", title: a.getAttribute("title") ?? "" })),
    );
    expect(tree.slice(0, 6).map((f) => f.text)).toEqual(["Inbox", "Drafts", "Sent", "Archive", "Junk", "Trash"]);
    for (const f of tree) {
      expect(f.text, JSON.stringify(f)).not.toMatch(/INBOX\./);
      expect(f.title, JSON.stringify(f)).not.toMatch(/INBOX\./);
    }
    const titles = tree.map((f) => f.title);
    expect(titles).toContain(PROJECTS);
    const q1Title = titles.find((t) => t.endsWith(Q1));
    expect(q1Title).toBeDefined();
    expect(q1Title).toContain(PROJECTS);

    // "Move to…": every choice named as the tree names it, none with the prefix.
    const list = page.getByRole("region", { name: "Messages", exact: true });
    await list.getByRole("listitem").filter({ hasText: SUBJECT }).getByRole("checkbox").click();
    await page.getByRole("toolbar", { name: "Message actions" }).getByRole("button", { name: "Move to…" }).click();
    const picker = page.getByRole("dialog", { name: "Move to folder" });
    // The dialog loads on first use: wait for its choices before reading them.
    await expect(picker.getByRole("button", { name: q1Title, exact: true })).toBeVisible();
    const choices = (await picker.getByRole("list", { name: "Folders to choose from" }).getByRole("button").allTextContents()).map((c) => c.trim());
    expect(choices.length).toBeGreaterThan(5);
    for (const c of choices) {
      expect(c).not.toMatch(/INBOX\./);
      expect(titles, `"${c}" is named as in the tree`).toContain(c);
    }
    expect(choices).toContain(q1Title);
    await picker.getByRole("button", { name: q1Title, exact: true }).click();
    await expect(list.getByRole("listitem").filter({ hasText: SUBJECT })).toHaveCount(0);
    // On the server: in the nested folder inside the namespace (the row leaves the list before the
    // server has answered: wait for the server, not for the list).
    await expect.poll(async () => (await messagesIn(raw, `INBOX.${PROJECTS}.${Q1}`)).map((m) => m.subject)).toEqual([SUBJECT]);

    // New folder: the "Inside" choices carry no prefix either, and a top-level folder is created
    // inside the personal namespace.
    await nav.getByRole("button", { name: "New folder" }).click();
    const dialog = page.getByRole("dialog", { name: "New folder" });
    await expect(dialog.getByLabel("Inside")).toBeVisible();
    const inside = (await dialog.getByLabel("Inside").locator("option").allTextContents()).map((o) => o.trim());
    expect(inside).toContain(q1Title);
    for (const o of inside) expect(o).not.toMatch(/INBOX\./);
    await dialog.getByLabel("Folder name").fill(`Made ${run}`);
    await dialog.getByRole("button", { name: "Create folder" }).click();
    await expect(nav.getByRole("link", { name: `Made ${run}` })).toBeVisible();
    await expect.poll(async () => (await raw.list()).map((f) => f.path)).toContain(`INBOX.Made ${run}`);
  } finally {
    // Children first: a folder with children may not be deletable.
    const mine = (await raw.list()).map((f) => f.path).filter((p) => p.includes(run));
    for (const path of mine.sort((a, b) => b.length - a.length)) await raw.mailboxDelete(path).catch(() => undefined);
    await raw.logout();
  }
});
