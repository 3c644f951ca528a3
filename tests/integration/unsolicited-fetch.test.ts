import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ImapFlow } from "imapflow";
import { fetchRows } from "@/lib/mail/imap/fetch-rows";
import { rawClient, requireStackEnv, users } from "./support";

// Dovecot tells a session about flags another session changed in the answer to its next FETCH
// (RFC 9051 §7.5.2): one reader marking a message read while another connection fetched a
// conversation gave that conversation a second, empty copy of the read message ("(no sender)",
// the CI run of 2026-12-03). Two connections of the test's own, on a folder of this run's own.
requireStackEnv();
const FOLDER = `Unsolicited ${randomBytes(3).toString("hex")}`;
let reader: ImapFlow;
let other: ImapFlow;
let first = 0;
let second = 0;

const mail = (subject: string) => ["From: Mallory <mallory@example.org>", "To: bob@example.test", `Subject: ${subject}`, "", "Hello.", ""].join("\r\n");

beforeAll(async () => {
  [reader, other] = await Promise.all([rawClient(users.bob), rawClient(users.bob)]);
  await other.mailboxCreate(FOLDER);
  const uidOf = async (subject: string) => {
    const appended = await other.append(FOLDER, mail(subject));
    if (!appended || !appended.uid) throw new Error("no APPENDUID");
    return appended.uid;
  };
  first = await uidOf("first");
  second = await uidOf("second");
  await Promise.all([reader.mailboxOpen(FOLDER), other.mailboxOpen(FOLDER)]);
});

afterAll(async () => {
  await other.mailboxClose().catch(() => undefined);
  await other.mailboxDelete(FOLDER).catch(() => undefined);
  await Promise.all([reader.logout(), other.logout()]);
});

const query = { uid: true, flags: true, envelope: true, size: true } as const;

it("the server does send another session's flag change inside a FETCH's answer", async () => {
  await other.messageFlagsAdd(String(first), ["\\Seen"], { uid: true });
  const rows: { seq: number; subject?: string }[] = [];
  for await (const row of reader.fetch(String(second), query, { uid: true })) rows.push({ seq: row.seq, subject: row.envelope?.subject });
  // What imapflow hands out: the asked message, and the update about the other one (its UID only
  // where CONDSTORE is enabled, RFC 7162 §3.1.4), without an envelope.
  expect(rows.sort((a, b) => a.seq - b.seq)).toEqual([{ seq: 1, subject: undefined }, { seq: 2, subject: "second" }]);
});

it("fetchRows answers with the asked message only, whole", async () => {
  await other.messageFlagsAdd(String(first), ["\\Flagged"], { uid: true });
  const rows = await fetchRows(reader, String(second), query, { uid: true });
  expect(rows.map((r) => [r.uid, r.envelope?.subject])).toEqual([[second, "second"]]);
});

it("an update about an asked message is merged into its answer", async () => {
  await other.messageFlagsAdd(String(second), ["\\Answered"], { uid: true });
  const rows = await fetchRows(reader, `${first},${second}`, query, { uid: true });
  expect(rows.map((r) => r.uid).sort()).toEqual([first, second].sort());
  expect(rows.find((r) => r.uid === second)!.flags!.has("\\Answered")).toBe(true);
});
