import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImapFlow } from "imapflow";
import { folderThreads } from "@/lib/mail/imap/list-conversations";
import { threadNewest } from "@/lib/mail/imap/thread-newest";
import { rawClient, requireStackEnv, users } from "./support";

// The conversation view's first page without threading the whole folder (lib/mail/imap/thread-newest.ts),
// against the real Dovecot: conversations whose older messages lie below the window of newest
// messages must come out whole, grouped as the whole folder's THREAD groups them. A window of 6
// stands in for the app's 500, so the folder stays small.
requireStackEnv();
const run = randomBytes(3).toString("hex");
const FOLDER = `Newest threads ${run}`;
let raw: ImapFlow;

const id = (name: string) => `<${name}.${run}@example.org>`;

function message(name: string, day: number, links: { inReplyTo?: string; references?: string[] } = {}): string {
  const lines = [
    "From: Sam <sam@example.org>",
    "To: bob@example.test",
    `Subject: ${links.inReplyTo ? "Re: " : ""}Topic ${name.replace(/\d+$/, "")} ${run}`,
    `Date: ${new Date(Date.UTC(2026, 10, day, 9)).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: ${id(name)}`,
  ];
  if (links.inReplyTo) lines.push(`In-Reply-To: ${id(links.inReplyTo)}`);
  if (links.references) lines.push(`References: ${links.references.map(id).join(" ")}`);
  return [...lines, "", `Message ${name}.`, ""].join("\r\n");
}

// In arrival order (UID 1…9). Below the window (the newest 6 are UIDs 4…9): r, the root of the q
// conversation, and w, answered by v with In-Reply-To alone (no References, as some clients write).
const mails = [
  message("r", 1),
  message("w", 2),
  message("x", 3),
  message("q1", 4, { inReplyTo: "r", references: ["r"] }),
  message("z", 5),
  message("p1", 6),
  message("p2", 7, { inReplyTo: "p1", references: ["p1"] }),
  message("v", 8, { inReplyTo: "w" }),
  message("q2", 9, { inReplyTo: "q1", references: ["r", "q1"] }),
];

/** Each thread's UIDs ascending, threads as given: grouping and order, not the tree's shape. */
const shape = (threads: number[][] | null) => threads?.map((t) => [...t].sort((a, b) => a - b)) ?? null;

beforeAll(async () => {
  raw = await rawClient(users.bob);
  await raw.mailboxCreate(FOLDER);
  for (const m of mails) await raw.append(FOLDER, m);
});

afterAll(async () => {
  await raw.mailboxDelete(FOLDER).catch(() => undefined);
  await raw.logout().catch(() => undefined);
});

describe("threadNewest", () => {
  it("gives the newest conversations whole, older members below the window included, as the whole folder's THREAD does", async () => {
    const lock = await raw.getMailboxLock(FOLDER);
    try {
      const exists = (raw.mailbox as { exists: number }).exists;
      expect(exists).toBe(9);
      const uidOf = new Map<string, number>();
      for await (const m of raw.fetch("1:*", { uid: true, envelope: true })) uidOf.set(m.envelope!.messageId!, m.uid);
      const u = (name: string) => uidOf.get(id(name))!;

      const newest = await threadNewest(raw, exists, 3, 6);
      // Oldest of the three first, as the whole folder's threads are ordered.
      expect(shape(newest)).toEqual([
        [u("p1"), u("p2")],
        [u("w"), u("v")],
        [u("r"), u("q1"), u("q2")],
      ]);
      const whole = await folderThreads(raw, exists);
      expect(shape(newest)).toEqual(shape(whole!.slice(-3)));
    } finally {
      lock.release();
    }
  });

  it("leaves the folder to the whole THREAD where the window would not be cheaper or not enough", async () => {
    const lock = await raw.getMailboxLock(FOLDER);
    try {
      const exists = (raw.mailbox as { exists: number }).exists;
      // No larger than the window: threading all of it costs the same and counts exactly.
      expect(await threadNewest(raw, exists, 3, 9)).toBeNull();
      // The window's 4 conversations are not more than the 4 asked: the oldest might go on below it.
      expect(await threadNewest(raw, exists, 4, 6)).toBeNull();
    } finally {
      lock.release();
    }
  });
});
