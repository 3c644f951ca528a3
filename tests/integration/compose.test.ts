import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { ImapFlow } from "imapflow";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ComposeInput } from "@/lib/mail/compose/draft-input";
import { saveDraft } from "@/lib/mail/compose/save-draft";
import { sendMessage } from "@/lib/mail/compose/send-message";
import { openDraft, startCompose } from "@/lib/mail/compose/start-compose";
import { deleteUpload, saveUpload, sweepAbandoned, uploadFileExists, uploadsOf } from "@/lib/mail/compose/upload-store";
import { closeAccountConnections } from "@/lib/mail/imap/pool";
import type { MailAccount } from "@/lib/mail/imap/account";
import type { UploadedFile } from "@/lib/mail/types";
import { updateSettings } from "@/lib/settings/update-settings";
import { accountFor, filesInUploadDir, postfixQueueEmpty, rawClient, requireStackEnv, uidValidityOf, users, waitFor } from "./support";

requireStackEnv();
const alice = accountFor(users.alice);
const bob = accountFor(users.bob);
const accounts: MailAccount[] = [alice, bob];
let aliceRaw: ImapFlow;
let bobRaw: ImapFlow;
let carolRaw: ImapFlow;

const run = Date.now().toString(36);
const subjectOf = (label: string) => `${label} — Grüße ✉ ${run}`;

function input(overrides: Partial<ComposeInput>): ComposeInput {
  return {
    to: [],
    cc: [],
    bcc: [],
    subject: "",
    format: "html",
    body: "<p>Hello</p>",
    attachmentIds: [],
    inReplyTo: null,
    references: [],
    origin: null,
    ...overrides,
  };
}

async function upload(account: MailAccount, filename: string, content: Buffer, contentType = "application/octet-stream"): Promise<UploadedFile> {
  return saveUpload(account.key, { filename, contentType }, Readable.from([content]), 200 * 1024 * 1024);
}

/** Postfix delivers asynchronously (queue, then LMTP): poll the folder until the message is there. */
async function waitForMessage(client: ImapFlow, folder: string, subject: string, timeoutMs = 20_000): Promise<{ uid: number; parsed: ParsedMail; flags: Set<string> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lock = await client.getMailboxLock(folder);
    try {
      await client.noop();
      const uids = (await client.search({ subject }, { uid: true })) || [];
      const uid = uids[uids.length - 1];
      if (uid) {
        const message = await client.fetchOne(String(uid), { uid: true, source: true, flags: true }, { uid: true });
        if (message && message.source) return { uid, parsed: await simpleParser(message.source), flags: message.flags ?? new Set() };
      }
    } finally {
      lock.release();
    }
    if (Date.now() > deadline) throw new Error(`"${subject}" did not arrive in ${folder}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function countBySubject(client: ImapFlow, folder: string, subject: string): Promise<number> {
  const lock = await client.getMailboxLock(folder);
  try {
    // A folder that stays selected learns of expunges and new mail with the next command.
    await client.noop();
    return ((await client.search({ subject }, { uid: true })) || []).length;
  } finally {
    lock.release();
  }
}

async function flagsOf(client: ImapFlow, folder: string, uid: number): Promise<Set<string>> {
  const lock = await client.getMailboxLock(folder);
  try {
    const message = await client.fetchOne(String(uid), { flags: true }, { uid: true });
    return (message && message.flags) || new Set();
  } finally {
    lock.release();
  }
}

function stack(command: string) {
  execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", command], { stdio: "ignore" });
}

beforeAll(async () => {
  [aliceRaw, bobRaw, carolRaw] = await Promise.all([rawClient(users.alice), rawClient(users.bob), rawClient(users.carol)]);
});
afterAll(async () => {
  await Promise.all([aliceRaw, bobRaw, carolRaw].map((c) => c.logout()));
  await Promise.all(accounts.map((a) => closeAccountConnections(a.key)));
});

describe("sendMessage", () => {
  it("delivers byte-identical attachments, hides Bcc, files a copy in Sent and removes the draft", async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const small = Buffer.from("Zeile eins\nZeile zwei – äöü\n", "utf8");
    const files = [await upload(alice, "big.bin", big), await upload(alice, "Übersicht März.txt", small, "text/plain")];
    const subject = subjectOf("Two attachments");
    const body = input({
      to: [{ name: "Bob Example", address: "bob@example.test" }],
      bcc: [{ name: "", address: "carol@example.test" }],
      subject,
      body: "<p>Hello <strong>Bob</strong>,</p><ul><li>one</li></ul>",
      attachmentIds: files.map((f) => f.id),
    });
    const draft = await saveDraft(alice, body, null);
    const result = await sendMessage(alice, { ...body, idempotencyKey: randomUUID(), draft });
    expect(result.rejected).toEqual([]);
    expect(result.accepted.sort()).toEqual(["bob@example.test", "carol@example.test"]);
    expect(result.savedToSent).toBe(true);

    const atBob = await waitForMessage(bobRaw, "INBOX", subject);
    expect(atBob.parsed.subject).toBe(subject);
    expect(atBob.parsed.headers.has("bcc")).toBe(false);
    expect(atBob.parsed.text).toContain("Hello Bob,");
    expect(atBob.parsed.html).toContain("<strong>Bob</strong>");
    const attachments = atBob.parsed.attachments;
    expect(attachments.map((a) => a.filename)).toEqual(["big.bin", "Übersicht März.txt"]);
    expect(attachments[0]?.content.equals(big)).toBe(true);
    expect(attachments[1]?.content.equals(small)).toBe(true);

    const atCarol = await waitForMessage(carolRaw, "INBOX", subject);
    expect(atCarol.parsed.headers.has("bcc")).toBe(false);

    const sent = await waitForMessage(aliceRaw, "Sent", subject, 2000);
    expect(sent.flags.has("\\Seen")).toBe(true);
    expect(sent.parsed.bcc).toBeDefined();
    expect(sent.parsed.messageId).toBe(atBob.parsed.messageId);
    expect(sent.parsed.attachments[0]?.content.equals(big)).toBe(true);
    expect(await countBySubject(aliceRaw, "Drafts", subject)).toBe(0);
    // The temporary files are gone once the message is sent.
    for (const f of files) expect(await uploadFileExists(f.id)).toBe(false);
  });

  it("sends once per idempotency key, however often it is submitted", async () => {
    const subject = subjectOf("Double click");
    const request = { ...input({ to: [{ name: "", address: "bob@example.test" }], subject }), idempotencyKey: randomUUID(), draft: null };
    const [a, b] = await Promise.all([sendMessage(alice, request), sendMessage(alice, request)]);
    const c = await sendMessage(alice, request);
    expect(a.messageId).toBe(b.messageId);
    expect(c.messageId).toBe(a.messageId);
    await waitForMessage(bobRaw, "INBOX", subject);
    // A second copy, had one been submitted, is delivered once Postfix's queue is empty.
    await waitFor("Postfix to deliver everything it holds", postfixQueueEmpty, 20_000);
    expect(await countBySubject(bobRaw, "INBOX", subject)).toBe(1);
    expect(await countBySubject(aliceRaw, "Sent", subject)).toBe(1);
  });

  it("reports a rejected recipient with the server's reason and sends to the others", async () => {
    const subject = subjectOf("Partly rejected");
    const file = await upload(alice, "keep.txt", Buffer.from("kept for a resend"));
    const result = await sendMessage(alice, {
      ...input({
        to: [{ name: "", address: "bob@example.test" }, { name: "Nobody", address: "nobody@example.test" }],
        subject,
        attachmentIds: [file.id],
      }),
      idempotencyKey: randomUUID(),
      draft: null,
    });
    expect(result.accepted).toEqual(["bob@example.test"]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.address).toBe("nobody@example.test");
    expect(result.rejected[0]?.reason).toMatch(/nobody@example\.test|unknown|Recipient address rejected/i);
    await waitForMessage(bobRaw, "INBOX", subject);
    // The attachment stays available for a resend to the corrected address.
    expect(await uploadsOf(alice.key, [file.id])).toHaveLength(1);
  });

  it("uses SMTPUTF8 for an internationalized address, so the server judges the mailbox itself", async () => {
    const subject = subjectOf("UTF-8 envelope");
    const result = await sendMessage(alice, {
      ...input({ to: [{ name: "", address: "bob@example.test" }, { name: "Jörg", address: "jörg@example.test" }], subject }),
      idempotencyKey: randomUUID(),
      draft: null,
    });
    expect(result.accepted).toEqual(["bob@example.test"]);
    // Refused as an unknown mailbox at RCPT, not for its non-ASCII local part (RFC 6531).
    expect(result.rejected).toEqual([{ address: "jörg@example.test", reason: expect.stringMatching(/unknown|rejected/i) }]);
    expect(result.rejected[0]?.reason).not.toMatch(/SMTPUTF8|8bit|internationali/i);
  });

  it("sends with the display name from Settings as the From name, in Sent and in the draft alike", async () => {
    const subject = subjectOf("From my display name");
    await updateSettings(bob.login, { displayName: "Bob Builder-Ünal" });
    try {
      const draft = await saveDraft(bob, input({ to: [{ name: "", address: "alice@example.test" }], subject }), null);
      const saved = await waitForMessage(bobRaw, "Drafts", subject);
      expect(saved.parsed.from?.value).toEqual([{ name: "Bob Builder-Ünal", address: "bob@example.test" }]);
      const result = await sendMessage(bob, {
        ...input({ to: [{ name: "", address: "alice@example.test" }], subject }),
        idempotencyKey: randomUUID(),
        draft,
      });
      expect(result.accepted).toEqual(["alice@example.test"]);
      const { parsed } = await waitForMessage(aliceRaw, "INBOX", subject);
      expect(parsed.from?.value).toEqual([{ name: "Bob Builder-Ünal", address: "bob@example.test" }]);
      const sent = await waitForMessage(bobRaw, "Sent", subject);
      expect(sent.parsed.from?.value).toEqual([{ name: "Bob Builder-Ünal", address: "bob@example.test" }]);
    } finally {
      await updateSettings(bob.login, { displayName: "" });
    }
    // Without a name, the address alone, as before.
    const plain = subjectOf("From my address alone");
    await sendMessage(bob, { ...input({ to: [{ name: "", address: "alice@example.test" }], subject: plain }), idempotencyKey: randomUUID(), draft: null });
    expect((await waitForMessage(aliceRaw, "INBOX", plain)).parsed.from?.value).toEqual([{ name: "", address: "bob@example.test" }]);
  });

  it("delivers mail to addresses outside example.test into the stack's catch-all, as the demo needs for replies", async () => {
    const subject = subjectOf("Reply to the outside world");
    const result = await sendMessage(alice, {
      ...input({ to: [{ name: "Priya", address: "priya@codehub.example" }], cc: [{ name: "", address: "ops@example.org" }], subject }),
      idempotencyKey: randomUUID(),
      draft: null,
    });
    expect(result).toMatchObject({ accepted: ["priya@codehub.example", "ops@example.org"], rejected: [] });
    const outside = await rawClient(users.outside);
    try {
      const { parsed } = await waitForMessage(outside, "INBOX", subject);
      // Only the envelope is redirected: the message still says whom it was written to.
      expect(parsed.to).toMatchObject({ value: [{ address: "priya@codehub.example" }] });
    } finally {
      await outside.logout();
    }
  });

  it("says a permanent refusal is permanent and does not suggest waiting", async () => {
    const error = await sendMessage(alice, {
      ...input({ to: [{ name: "", address: "ghost@example.test" }], subject: "x" }),
      idempotencyKey: randomUUID(),
      draft: null,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ALL_RECIPIENTS_REJECTED", message: expect.stringContaining("(permanent)") });
    expect((error as Error).message).toContain("sending again will not help");
    expect((error as Error).message).not.toMatch(/try again in a while/);
  });

  it("fails with the reasons when every recipient is rejected", async () => {
    await expect(
      sendMessage(alice, { ...input({ to: [{ name: "", address: "ghost@example.test" }], subject: "x" }), idempotencyKey: randomUUID(), draft: null }),
    ).rejects.toMatchObject({ code: "ALL_RECIPIENTS_REJECTED", message: expect.stringContaining("ghost@example.test") });
  });

  it("refuses an invalid address before anything is sent", async () => {
    await expect(
      sendMessage(alice, { ...input({ to: [{ name: "", address: "bob@@example" }], subject: "x" }), idempotencyKey: randomUUID(), draft: null }),
    ).rejects.toMatchObject({ code: "INVALID_ADDRESS", message: expect.stringContaining("bob@@example") });
  });

  it("says so when the submission server refuses the password", async () => {
    const wrong = accountFor({ login: users.alice.login, password: "not-the-password" });
    accounts.push(wrong);
    await expect(
      sendMessage(wrong, { ...input({ to: [{ name: "", address: "bob@example.test" }], subject: "x" }), idempotencyKey: randomUUID(), draft: null }),
    ).rejects.toMatchObject({ code: "SMTP_AUTH_FAILED" });
  });

  it("reports an unreachable SMTP server, and the same key sends once it is back", async () => {
    const subject = subjectOf("After restart");
    const request = { ...input({ to: [{ name: "", address: "bob@example.test" }], subject }), idempotencyKey: randomUUID(), draft: null };
    stack("smtp-stop");
    try {
      await expect(sendMessage(alice, request)).rejects.toMatchObject({ code: "SMTP_UNREACHABLE" });
      // The composer saves what the user wrote; IMAP still works.
      const draft = await saveDraft(alice, request, null);
      expect(await countBySubject(aliceRaw, "Drafts", subject)).toBe(1);
      stack("smtp-start");
      const result = await sendMessage(alice, { ...request, draft });
      expect(result.accepted).toEqual(["bob@example.test"]);
    } finally {
      stack("smtp-start");
    }
    await waitForMessage(bobRaw, "INBOX", subject);
    expect(await countBySubject(aliceRaw, "Drafts", subject)).toBe(0);
  });
});

describe("replies and forwards", () => {
  it("reply sets In-Reply-To and References, quotes the original, and flags it \\Answered", async () => {
    const subject = subjectOf("Question");
    await sendMessage(alice, {
      ...input({ to: [{ name: "", address: "bob@example.test" }], subject, body: "<p>Are you coming on Friday?</p>" }),
      idempotencyKey: randomUUID(),
      draft: null,
    });
    const original = await waitForMessage(bobRaw, "INBOX", subject);
    const ref = { folder: "INBOX", uidValidity: await uidValidityOf(bobRaw, "INBOX"), uid: original.uid };

    const start = await startCompose(bob, "reply", ref);
    expect(start.subject).toBe(`Re: ${subject}`);
    expect(start.to.map((a) => a.address)).toEqual(["alice@example.test"]);
    expect(start.body).toMatch(/wrote:<\/p><blockquote><p>Are you coming on Friday\?<\/p><\/blockquote>/);
    await sendMessage(bob, {
      ...input({ ...start, attachmentIds: [], body: `<p>Yes!</p>${start.body}` }),
      idempotencyKey: randomUUID(),
      draft: null,
    });
    const reply = await waitForMessage(aliceRaw, "INBOX", `Re: ${subject}`);
    expect(reply.parsed.inReplyTo).toBe(original.parsed.messageId);
    expect([reply.parsed.references].flat()).toEqual([original.parsed.messageId]);
    expect(reply.parsed.text).toContain("> Are you coming on Friday?");
    expect(await flagsOf(bobRaw, "INBOX", original.uid)).toContain("\\Answered");
  });

  it("reply all excludes the user's own address", async () => {
    const subject = subjectOf("To many");
    await sendMessage(alice, {
      ...input({ to: [{ name: "", address: "bob@example.test" }], cc: [{ name: "", address: "carol@example.test" }], subject }),
      idempotencyKey: randomUUID(),
      draft: null,
    });
    const original = await waitForMessage(bobRaw, "INBOX", subject);
    const start = await startCompose(bob, "replyAll", { folder: "INBOX", uidValidity: await uidValidityOf(bobRaw, "INBOX"), uid: original.uid });
    expect([...start.to, ...start.cc].map((a) => a.address).sort()).toEqual(["alice@example.test", "carol@example.test"]);
  });

  it("forward carries the original's attachments and flags it $Forwarded", async () => {
    const subject = subjectOf("Forward me");
    const data = randomBytes(200_000);
    const file = await upload(alice, "Plan für Q1.bin", data);
    await sendMessage(alice, {
      ...input({ to: [{ name: "", address: "bob@example.test" }], subject, attachmentIds: [file.id] }),
      idempotencyKey: randomUUID(),
      draft: null,
    });
    const original = await waitForMessage(bobRaw, "INBOX", subject);
    const start = await startCompose(bob, "forward", { folder: "INBOX", uidValidity: await uidValidityOf(bobRaw, "INBOX"), uid: original.uid });
    expect(start.subject).toBe(`Fwd: ${subject}`);
    expect(start.attachments.map((a) => a.filename)).toEqual(["Plan für Q1.bin"]);
    await sendMessage(bob, {
      ...input({ ...start, to: [{ name: "", address: "carol@example.test" }], attachmentIds: start.attachments.map((a) => a.id) }),
      idempotencyKey: randomUUID(),
      draft: null,
    });
    const forwarded = await waitForMessage(carolRaw, "INBOX", `Fwd: ${subject}`);
    expect(forwarded.parsed.attachments[0]?.content.equals(data)).toBe(true);
    expect(forwarded.parsed.text).toContain("Forwarded message");
    expect(await flagsOf(bobRaw, "INBOX", original.uid)).toContain("$Forwarded");
  });
});

describe("drafts", () => {
  it("saves to Drafts flagged \\Draft, replaces the previous version, and reopens whole", async () => {
    const subject = subjectOf("Draft");
    const file = await upload(alice, "notes ü.txt", Buffer.from("draft attachment"));
    const first = await saveDraft(alice, input({ to: [{ name: "Bob", address: "bob@example.test" }], subject, attachmentIds: [file.id] }), null);
    const second = await saveDraft(
      alice,
      input({
        to: [{ name: "Bob", address: "bob@example.test" }, { name: "", address: "not valid" }],
        cc: [{ name: "", address: "carol@example.test" }],
        subject,
        body: "<p>Second <em>version</em></p>",
        attachmentIds: [file.id],
        origin: { mode: "reply", ref: { folder: "INBOX", uidValidity: "7", uid: 3 } },
      }),
      first,
    );
    expect(second.uid).not.toBe(first.uid);
    expect(await countBySubject(aliceRaw, "Drafts", subject)).toBe(1);
    expect(await flagsOf(aliceRaw, second.folder, second.uid)).toContain("\\Draft");

    const reopened = await openDraft(alice, second);
    expect(reopened.to).toEqual([{ name: "Bob", address: "bob@example.test" }]);
    expect(reopened.cc.map((a) => a.address)).toEqual(["carol@example.test"]);
    expect(reopened.body).toContain("<em>version</em>");
    expect(reopened.origin).toEqual({ mode: "reply", ref: { folder: "INBOX", uidValidity: "7", uid: 3 } });
    expect(reopened.attachments.map((a) => a.filename)).toEqual(["notes ü.txt"]);
  });
});

describe("uploads", () => {
  it("refuses a file over the limit and keeps nothing of it", async () => {
    await upload(alice, "first.txt", Buffer.from("makes sure the upload directory exists"));
    const before = filesInUploadDir();
    const tooBig = Readable.from((function* () {
      for (let i = 0; i < 20; i++) yield Buffer.alloc(64 * 1024, i);
    })());
    await expect(saveUpload(alice.key, { filename: "big", contentType: "application/octet-stream" }, tooBig, 1024 * 1024)).rejects.toMatchObject({
      code: "UPLOAD_TOO_LARGE",
    });
    expect(filesInUploadDir()).toEqual(before);
  });

  it("keeps nothing of an upload the browser cancels mid-stream", async () => {
    await upload(alice, "first.txt", Buffer.from("makes sure the upload directory exists"));
    const before = filesInUploadDir();
    // What the route sees when the browser aborts: the body stream fails after some bytes arrived.
    const cancelled = new Readable({ read() {} });
    cancelled.push(Buffer.alloc(256 * 1024, 1));
    const saving = saveUpload(alice.key, { filename: "half", contentType: "application/octet-stream" }, cancelled, 10 * 1024 * 1024);
    await waitFor("the first bytes to reach the disk", () => filesInUploadDir().length > before.length);
    cancelled.destroy(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
    await expect(saving).rejects.toThrow();
    expect(filesInUploadDir()).toEqual(before);
  });

  it("binds an upload to its session: another session can neither use nor delete it", async () => {
    const file = await upload(alice, "mine.txt", Buffer.from("mine"));
    await expect(uploadsOf(bob.key, [file.id])).rejects.toMatchObject({ code: "UPLOAD_NOT_FOUND" });
    await expect(deleteUpload(bob.key, file.id)).rejects.toMatchObject({ code: "UPLOAD_NOT_FOUND" });
    await deleteUpload(alice.key, file.id);
    expect(await uploadFileExists(file.id)).toBe(false);
  });

  it("removes abandoned uploads", async () => {
    const file = await upload(alice, "old.txt", Buffer.from("old"));
    expect(await sweepAbandoned(60_000, Date.now() + 61_000)).toBeGreaterThanOrEqual(1);
    expect(await uploadFileExists(file.id)).toBe(false);
  });
});
