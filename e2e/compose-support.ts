import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import type { ImapFlow } from "imapflow";
import { simpleParser, type ParsedMail } from "mailparser";
import { expect, type Page } from "@playwright/test";
import { rawClient } from "./imap";

export const USERS = {
  alice: { email: "alice@example.test", password: "alice-password" },
  bob: { email: "bob@example.test", password: "bob-password" },
  carol: { email: "carol@example.test", password: "carol-password" },
  // Only e2e/two-instances.spec.ts signs in as erin: Dovecot allows 10 connections per user and
  // address, and by then the suite's own app still holds idle pooled connections for the others.
  erin: { email: "erin@example.test", password: "erin-password" },
  // Only e2e/hostile.spec.ts signs in as iris: it runs beside the other specs (playwright.config.ts).
  iris: { email: "iris@example.test", password: "iris-password" },
};
type User = (typeof USERS)[keyof typeof USERS];

export async function signIn(page: Page, user: User, { emptyInbox = false } = {}) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/mail/);
  if (!emptyInbox) {
    await expect(
      page.getByRole("region", { name: "Messages", exact: true }).getByRole("listitem").first(),
    ).toBeVisible();
  }
  await hydrated(page);
}

/**
 * Resolves once React has hydrated the page. The mail page's rows are in the server's HTML, so a
 * visible row says nothing about its handlers; buttons ignore the pointer until then (clicks wait
 * by themselves), but a test that drives the app through the history API must wait for this.
 */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => !document.documentElement.hasAttribute("data-booting"));
}

export async function openMessage(page: Page, subject: string) {
  const list = page.getByRole("region", { name: "Messages", exact: true });
  const row = list
    .getByRole("button", { name: new RegExp(subject.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) })
    .first();
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(row).toBeVisible({ timeout: 1500 });
  }).toPass({ timeout: 30_000 });
  await row.click();
  // A message with replies opens as a conversation (issue 11), whose toolbar answers the newest
  // message of the folder: the one opened here.
  const reader = page.getByRole("region", { name: "Message", exact: true }).or(page.getByRole("region", { name: "Conversation", exact: true }));
  await expect(reader.getByRole("heading", { name: subject })).toBeVisible();
  return reader;
}

/** Adds a recipient the way a user does: type it, press Enter. */
export async function addRecipient(page: Page, field: "To" | "Cc" | "Bcc", text: string) {
  const input = page.getByRole("combobox", { name: field, exact: true });
  await input.fill(text);
  await input.press("Enter");
}

/** What the server holds, read over IMAP directly, not through the app. */
export async function withImap<T>(user: User, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = await rawClient(user);
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

export interface Found {
  uid: number;
  uidValidity: string;
  flags: Set<string>;
  parsed: ParsedMail;
}

/** Polls `folder` until a message with `subject` is there (delivery is asynchronous); null when none comes. */
export async function findMessage(
  user: User,
  folder: string,
  subject: string,
  timeoutMs = 20_000,
): Promise<Found | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await withImap(user, async (client) => {
      const lock = await client.getMailboxLock(folder);
      try {
        const uids = (await client.search({ subject }, { uid: true })) || [];
        const uid = uids[uids.length - 1];
        if (!uid || !client.mailbox) return null;
        const m = await client.fetchOne(String(uid), { uid: true, flags: true, source: true }, { uid: true });
        if (!m || !m.source) return null;
        return {
          uid,
          uidValidity: client.mailbox.uidValidity.toString(),
          flags: m.flags ?? new Set<string>(),
          parsed: await simpleParser(m.source),
        };
      } finally {
        lock.release();
      }
    });
    if (found || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Sets the user's "Undo send window" (0, 5, 10, 20 or 30 s) through the API, as Settings does:
 * tests that only need a delivery use 0, so "Sent" follows Send without waiting out the window.
 */
export async function setUndoWindow(page: Page, seconds: 0 | 5 | 10 | 20 | 30) {
  const origin = new URL(page.url()).origin;
  const response = await page.request.put("/api/settings", {
    headers: { Origin: origin },
    data: { undoSendSeconds: seconds },
  });
  expect(response.status()).toBe(200);
}

/** True when Postfix holds no message (all delivered or refused): read with postqueue, not the app. */
export function postfixQueueEmpty(): boolean {
  const state = process.env.MAIL_STATE_DIR;
  if (!state) throw new Error("MAIL_STATE_DIR is not set (run through npm test)");
  return (
    execFileSync("postqueue", ["-c", path.join(state, "postfix"), "-j"], { encoding: "utf8" }).trim() === ""
  );
}

/** How many messages with `subject` are in `folder`, read over IMAP. */
export async function countMessages(user: User, folder: string, subject: string): Promise<number> {
  return withImap(user, async (client) => {
    const lock = await client.getMailboxLock(folder);
    try {
      return ((await client.search({ subject }, { uid: true })) || []).length;
    } finally {
      lock.release();
    }
  });
}

export function mailStack(command: "smtp-stop" | "smtp-start") {
  execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", command], { stdio: "ignore" });
}

/** The PID of the process listening on `port` (the app server), found through /proc, not by name. */
export function pidListeningOn(port: number): number | null {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === "0A" && cols[9]) inodes.add(cols[9]);
    }
  }
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(pid);
      } catch {
        // The fd closed while we looked.
      }
    }
  }
  return null;
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}
