import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { ImapFlow } from "imapflow";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { holdBackgroundCredentials } from "@/lib/auth/background-credentials";
import { enqueue, startWorker, type Worker } from "@/lib/jobs";
import { suggestAddresses } from "@/lib/mail/compose/address-book";
import type { ComposeInput } from "@/lib/mail/compose/draft-input";
import { openDraft } from "@/lib/mail/compose/start-compose";
import { saveUpload, uploadsOf } from "@/lib/mail/compose/upload-store";
import { closeAccountConnections } from "@/lib/mail/imap/pool";
import { cancelMessage } from "@/lib/mail/outbox/cancel-message";
import { enqueueMessage } from "@/lib/mail/outbox/enqueue-message";
import { getOutboxMessage } from "@/lib/mail/outbox/get-outbox-message";
import { listOutbox } from "@/lib/mail/outbox/list-outbox";
import { OUTBOX_JOB, readEntry, writeEntry } from "@/lib/mail/outbox/outbox-entries";
import "@/lib/mail/outbox/outbox-job";
import { sendNow } from "@/lib/mail/outbox/send-now";
import type { OutboxItem } from "@/lib/mail/types";
import { updateSettings } from "@/lib/settings/update-settings";
import { accountFor, postfixQueueEmpty, rawClient, requireStackEnv, users, waitFor } from "./support";

// The outbox against the real stack: what the recipient's mailbox and the sender's folders hold is
// read over IMAP with the test's own connections, and Postfix's queue is read with postqueue.
requireStackEnv();
const alice = accountFor(users.alice);
const bob = accountFor(users.bob);
let aliceRaw: ImapFlow;
let bobRaw: ImapFlow;
let worker: Worker;

const run = Date.now().toString(36);
const subjectOf = (label: string) => `Outbox ${label} ✉ ${run}`;
const stack = (command: "smtp-stop" | "smtp-start") =>
  execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", command], { stdio: ["ignore", "pipe", "pipe"] });

function input(overrides: Partial<ComposeInput>): ComposeInput {
  return {
    to: [{ name: "", address: "bob@example.test" }],
    cc: [],
    bcc: [],
    subject: "",
    format: "html",
    body: "<p>Hello from the outbox</p>",
    attachmentIds: [],
    inReplyTo: null,
    references: [],
    origin: null,
    ...overrides,
  };
}

async function countBySubject(client: ImapFlow, folder: string, subject: string): Promise<number> {
  const lock = await client.getMailboxLock(folder);
  try {
    await client.noop();
    return ((await client.search({ subject }, { uid: true })) || []).length;
  } finally {
    lock.release();
  }
}

async function fetchBySubject(client: ImapFlow, folder: string, subject: string): Promise<ParsedMail & { raw: string }> {
  const lock = await client.getMailboxLock(folder);
  try {
    await client.noop();
    const uids = (await client.search({ subject }, { uid: true })) || [];
    const message = await client.fetchOne(String(uids[uids.length - 1]), { source: true }, { uid: true });
    if (!message || !message.source) throw new Error(`no "${subject}" in ${folder}`);
    return { ...(await simpleParser(message.source)), raw: message.source.toString("utf8") };
  } finally {
    lock.release();
  }
}

const outboxItem = async (id: string): Promise<OutboxItem | undefined> => (await listOutbox(alice.login)).find((i) => i.id === id);

beforeAll(async () => {
  aliceRaw = await rawClient(users.alice);
  bobRaw = await rawClient(users.bob);
  worker = startWorker({ pollMs: 100, workerId: `outbox-test-${run}` });
});

beforeEach(async () => {
  await updateSettings(alice.login, { undoSendSeconds: 10 });
});

afterAll(async () => {
  await worker?.stop();
  stack("smtp-start");
  await Promise.all([aliceRaw?.logout(), bobRaw?.logout()]);
  await Promise.all([alice, bob].map((a) => closeAccountConnections(a.key)));
});

describe("outbox", () => {
  it("undo within the window delivers nothing and gives the message back whole, attachment byte-identical", async () => {
    const subject = subjectOf("undo");
    const bytes = randomBytes(300_000);
    const file = await saveUpload(alice.key, { filename: "plan ü.bin", contentType: "application/octet-stream" }, Readable.from([bytes]), 10 * 1024 * 1024);
    const id = randomUUID();
    const sent = input({
      subject,
      cc: [{ name: "Carol", address: "carol@example.test" }],
      bcc: [{ name: "", address: "outside@example.org" }],
      body: "<p>Draft <strong>body</strong></p>",
      attachmentIds: [file.id],
      inReplyTo: "<original@example.test>",
      references: ["<root@example.test>", "<original@example.test>"],
    });
    const item = await enqueueMessage(alice, { ...sent, idempotencyKey: id, draft: null, sendAt: null });
    expect(item.state).toBe("waiting");
    expect(new Date(item.dueAt).getTime()).toBeGreaterThan(Date.now() + 8_000);
    // The same key again (a double click, a retried request) queues nothing more.
    await enqueueMessage(alice, { ...sent, idempotencyKey: id, draft: null, sendAt: null });
    expect((await listOutbox(alice.login)).filter((i) => i.id === id)).toHaveLength(1);

    // Opened in the Outbox view: what it says, without the bytes.
    const { message } = await getOutboxMessage(alice.login, id);
    expect(message).toMatchObject({
      id,
      subject,
      state: "waiting",
      cc: [{ name: "Carol", address: "carol@example.test" }],
      bcc: [{ name: "", address: "outside@example.org" }],
      attachments: [{ filename: "plan ü.bin", size: 300_000 }],
    });
    expect(message?.text).toMatch(/Draft\W+body/i);
    expect(JSON.stringify(message)).not.toContain(bytes.subarray(0, 30).toString("base64"));

    const draftRef = await cancelMessage(alice, id);
    expect(await getOutboxMessage(alice.login, id)).toEqual({ message: null, outcome: { kind: "cancelled" } });
    expect(await outboxItem(id)).toBeUndefined();
    await expect(cancelMessage(alice, id)).rejects.toMatchObject({ code: "OUTBOX_NOT_FOUND" });

    const draft = await openDraft(alice, draftRef);
    expect(draft.to).toEqual([{ name: "", address: "bob@example.test" }]);
    expect(draft.cc).toEqual([{ name: "Carol", address: "carol@example.test" }]);
    expect(draft.bcc).toEqual([{ name: "", address: "outside@example.org" }]);
    expect(draft.subject).toBe(subject);
    expect(draft.body).toContain("<strong>body</strong>");
    expect(draft.inReplyTo).toBe("<original@example.test>");
    expect(draft.references).toEqual(["<root@example.test>", "<original@example.test>"]);
    expect(draft.attachments).toHaveLength(1);
    expect(draft.attachments[0]?.filename).toBe("plan ü.bin");
    const [reopened] = await uploadsOf(alice.key, [draft.attachments[0]!.id]);
    expect((await buffer(reopened!.open())).equals(bytes)).toBe(true);

    // Nothing went out: Postfix's queue is empty and Bob's mailbox has nothing with that subject.
    await waitFor("Postfix's queue to empty", () => postfixQueueEmpty());
    expect(await countBySubject(bobRaw, "INBOX", subject)).toBe(0);
    expect(await countBySubject(aliceRaw, "Sent", subject)).toBe(0);
    expect(await countBySubject(aliceRaw, "Drafts", subject)).toBe(1);
  });

  it("a scheduled message is delivered at its time, not before, and filed in Sent", async () => {
    const subject = subjectOf("scheduled");
    const sendAt = Date.now() + 3_000;
    const id = randomUUID();
    const item = await enqueueMessage(alice, { ...input({ subject }), idempotencyKey: id, draft: null, sendAt });
    expect(item).toMatchObject({ state: "scheduled", dueAt: new Date(sendAt).toISOString() });
    // Until its time it waits: the worker polls meanwhile, and nothing reaches Postfix or Bob.
    while (Date.now() < sendAt - 300) {
      expect(await countBySubject(bobRaw, "INBOX", subject)).toBe(0);
      expect(postfixQueueEmpty()).toBe(true);
      expect((await outboxItem(id))?.state).toBe("scheduled");
      await new Promise((r) => setTimeout(r, 200));
    }
    await waitFor("delivery to Bob", async () => (await countBySubject(bobRaw, "INBOX", subject)) === 1, 20_000);
    expect(Date.now()).toBeGreaterThanOrEqual(sendAt);
    await waitFor("the outbox to empty", async () => (await outboxItem(id)) === undefined);
    expect(await countBySubject(aliceRaw, "Sent", subject)).toBe(1);
    // The tab that queued it learns it went out.
    expect(await getOutboxMessage(alice.login, id)).toEqual({ message: null, outcome: { kind: "sent", refused: [] } });
  });

  it("once sent, autocomplete knows the recipients by the names they were written with", async () => {
    const subject = subjectOf("named");
    const name = `Carol Outbox ${run}`;
    const id = randomUUID();
    const cc = [{ name, address: "carol@example.test" }];
    await enqueueMessage(alice, { ...input({ subject, cc }), idempotencyKey: id, draft: null, sendAt: Date.now() + 200 });
    await waitFor("the outbox to empty", async () => (await outboxItem(id)) === undefined, 20_000);
    expect(await suggestAddresses(alice.login, "carol")).toContainEqual({ name, address: "carol@example.test" });
  });

  it("refuses a Send later time that has passed, and queues nothing", async () => {
    const id = randomUUID();
    await expect(
      enqueueMessage(alice, { ...input({ subject: subjectOf("past") }), idempotencyKey: id, draft: null, sendAt: Date.now() - 60_000 }),
    ).rejects.toMatchObject({ code: "SEND_AT_PAST" });
    expect(await outboxItem(id)).toBeUndefined();
    await expect(getOutboxMessage(alice.login, id)).rejects.toMatchObject({ code: "OUTBOX_NOT_FOUND" });
  });

  it("waits as retrying while Postfix is stopped, then is delivered exactly once and filed in Sent", async () => {
    const subject = subjectOf("retry");
    await updateSettings(alice.login, { undoSendSeconds: 0 });
    const id = randomUUID();
    stack("smtp-stop");
    try {
      await enqueueMessage(alice, { ...input({ subject }), idempotencyKey: id, draft: null, sendAt: null });
      await waitFor("a retrying state", async () => (await outboxItem(id))?.state === "retrying", 20_000);
      const waiting = await outboxItem(id);
      expect(waiting).toMatchObject({ attempts: 1, lastError: "The mail server is unreachable." });
      // The next try is about a minute away (1 min ± 20 %).
      const next = new Date(waiting!.dueAt).getTime() - Date.now();
      expect(next).toBeGreaterThan(40_000);
      expect(next).toBeLessThan(75_000);
    } finally {
      stack("smtp-start");
    }
    await sendNow(alice, id);
    await waitFor("delivery to Bob", async () => (await countBySubject(bobRaw, "INBOX", subject)) === 1, 20_000);
    await waitFor("the outbox to empty", async () => (await outboxItem(id)) === undefined);
    await waitFor("Postfix's queue to empty", () => postfixQueueEmpty());
    expect(await countBySubject(bobRaw, "INBOX", subject)).toBe(1);
    expect(await countBySubject(aliceRaw, "Sent", subject)).toBe(1);
  });

  it("a recipient the server refuses: a delivery status report in Inbox naming it and the reply, the message in Drafts", async () => {
    const subject = subjectOf("refused");
    await updateSettings(alice.login, { undoSendSeconds: 0 });
    const id = randomUUID();
    await enqueueMessage(alice, { ...input({ subject, to: [{ name: "", address: "nobody@example.test" }] }), idempotencyKey: id, draft: null, sendAt: null });
    const reportSubject = `Undelivered Mail Returned to Sender: ${subject}`;
    await waitFor("the report in Inbox", async () => (await countBySubject(aliceRaw, "INBOX", reportSubject)) === 1, 20_000);
    const report = await fetchBySubject(aliceRaw, "INBOX", reportSubject);
    expect(report.headers.get("content-type")).toMatchObject({ value: "multipart/report", params: { "report-type": "delivery-status" } });
    expect(report.text).toContain("nobody@example.test");
    expect(report.text).toMatch(/550 5\.1\.1 .*nobody@example\.test.*Recipient address rejected/);
    // The machine-readable part as the server stores it (mailparser folds it into the text).
    expect(report.raw).toMatch(
      /Content-Type: message\/delivery-status\r\n\r\nReporting-MTA: dns; [^\r]+\r\nArrival-Date: [^\r]+\r\n\r\nFinal-Recipient: rfc822; nobody@example\.test\r\nAction: failed\r\nStatus: 5\.1\.1\r\nDiagnostic-Code: smtp; 550 5\.1\.1/,
    );
    expect(report.attachments.some((a) => a.contentType === "message/rfc822" && a.content.toString().includes(subject.slice(0, 6)))).toBe(true);
    await waitFor("the outbox to empty", async () => (await outboxItem(id)) === undefined);
    expect(await countBySubject(aliceRaw, "Drafts", subject)).toBe(1);
    expect(await countBySubject(aliceRaw, "Sent", subject)).toBe(0);
    expect(await getOutboxMessage(alice.login, id)).toMatchObject({ message: null, outcome: { kind: "returned", reason: expect.stringContaining("refused") } });
  });

  it("partial acceptance: Bob gets it, the refused recipient's report carries the server's reply code", async () => {
    const subject = subjectOf("partial");
    await updateSettings(alice.login, { undoSendSeconds: 0 });
    const id = randomUUID();
    const to = [
      { name: "", address: "bob@example.test" },
      { name: "", address: "nobody@example.test" },
    ];
    await enqueueMessage(alice, { ...input({ subject, to }), idempotencyKey: id, draft: null, sendAt: null });
    const reportSubject = `Undelivered Mail Returned to Sender: ${subject}`;
    await waitFor("the report in Inbox", async () => (await countBySubject(aliceRaw, "INBOX", reportSubject)) === 1, 20_000);
    const report = await fetchBySubject(aliceRaw, "INBOX", reportSubject);
    // RFC 3464 §2.3.6: Diagnostic-Code of type smtp is the server's reply, reply code first.
    expect(report.raw).toMatch(
      /Final-Recipient: rfc822; nobody@example\.test\r\nAction: failed\r\nStatus: 5\.1\.1\r\nDiagnostic-Code: smtp; 550 5\.1\.1 <nobody@example\.test>: Recipient address rejected/,
    );
    expect(report.raw).not.toContain("Final-Recipient: rfc822; bob@example.test");
    expect(report.text).toMatch(/nobody@example\.test: 550 5\.1\.1 /);
    await waitFor("the outbox to empty", async () => (await outboxItem(id)) === undefined);
    await waitFor("delivery to Bob", async () => (await countBySubject(bobRaw, "INBOX", subject)) === 1, 20_000);
    expect(await countBySubject(aliceRaw, "Sent", subject)).toBe(1);
    expect(await getOutboxMessage(alice.login, id)).toMatchObject({ message: null, outcome: { kind: "sent", refused: ["nobody@example.test"] } });
  });

  it("a refused password: the message stops at once as failed; Cancel files the report and returns it to Drafts", async () => {
    const subject = subjectOf("password");
    const id = randomUUID();
    const sendAt = Date.now() + 1_000;
    await enqueueMessage(alice, { ...input({ subject }), idempotencyKey: id, draft: null, sendAt });
    // The password changed on the server after the message was queued.
    await holdBackgroundCredentials(alice.login, "not-the-password", "outbox");
    // …and the worker's IMAP connections from before are gone too (they would still be logged in).
    await closeAccountConnections(`outbox:${alice.login}`);
    await waitFor("a failed state", async () => (await outboxItem(id))?.state === "failed", 20_000);
    expect((await outboxItem(id))?.lastError).toMatch(/refused your password/);
    expect((await outboxItem(id))?.attempts).toBe(1);
    // The user, signed in with the right password, cancels: the worker (still holding the wrong
    // one) may be mid-retry of the report step, and then the answer is "busy" for a moment.
    await waitFor("Cancel to go through", () =>
      cancelMessage(alice, id).then(
        () => true,
        (error: { code?: string }) => (error.code === "OUTBOX_BUSY" ? false : Promise.reject(error)),
      ),
    );
    const reportSubject = `Undelivered Mail Returned to Sender: ${subject}`;
    expect(await countBySubject(aliceRaw, "INBOX", reportSubject)).toBe(1);
    const report = await fetchBySubject(aliceRaw, "INBOX", reportSubject);
    expect(report.text).toMatch(/bob@example\.test: 535/);
    expect(await countBySubject(aliceRaw, "Drafts", subject)).toBe(1);
    expect(await countBySubject(bobRaw, "INBOX", subject)).toBe(0);
  });

  it("two workers polling the same due message submit it once", async () => {
    const subject = subjectOf("two workers");
    await updateSettings(alice.login, { undoSendSeconds: 0 });
    const other = startWorker({ pollMs: 50, workerId: `outbox-test-other-${run}` });
    try {
      const id = randomUUID();
      await enqueueMessage(alice, { ...input({ subject }), idempotencyKey: id, draft: null, sendAt: null });
      await Promise.all([worker.poll(), other.poll(), worker.poll(), other.poll()]);
      await waitFor("the outbox to empty", async () => (await outboxItem(id)) === undefined, 20_000);
      await waitFor("Postfix's queue to empty", () => postfixQueueEmpty());
      await waitFor("delivery to Bob", async () => (await countBySubject(bobRaw, "INBOX", subject)) >= 1, 20_000);
      expect(await countBySubject(bobRaw, "INBOX", subject)).toBe(1);
      expect(await countBySubject(aliceRaw, "Sent", subject)).toBe(1);
      // The same request repeated after it went out (a retry after a timeout) queues nothing.
      await expect(enqueueMessage(alice, { ...input({ subject }), idempotencyKey: id, draft: null, sendAt: null })).rejects.toMatchObject({
        code: "OUTBOX_NOT_FOUND",
      });
      expect(await outboxItem(id)).toBeUndefined();
    } finally {
      await other.stop();
    }
  });

  it("after a crash past acceptance, the next run only does the bookkeeping: never a second submission", async () => {
    const subject = subjectOf("crash after accept");
    const id = randomUUID();
    // Queued far ahead, then made to look as a process that died right after the server's 250
    // left it: "accepted" written, Sent not yet filed, the job still due.
    await enqueueMessage(alice, { ...input({ subject }), idempotencyKey: id, draft: null, sendAt: Date.now() + 60 * 60_000 });
    const entry = await readEntry(alice.login, id);
    await writeEntry({ ...entry!, state: "accepted", attempts: 1, outcome: { accepted: ["bob@example.test"], rejected: [] } });
    await dueAgainAfterCrash(id, entry!.jobId);
    await waitFor("the outbox to empty", async () => (await outboxItem(id)) === undefined, 20_000);
    expect(await countBySubject(aliceRaw, "Sent", subject)).toBe(1);
    await waitFor("Postfix's queue to empty", () => postfixQueueEmpty());
    expect(await countBySubject(bobRaw, "INBOX", subject)).toBe(0);
  });
});

/** The job of a crashed try is due again once its lease expired: here, at once. */
async function dueAgainAfterCrash(id: string, jobId: string): Promise<void> {
  await enqueue(OUTBOX_JOB, { login: alice.login, id }, { runAt: Date.now(), id: jobId });
}
