import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadPart } from "@/lib/mail/imap/download-part";
import { getMessage } from "@/lib/mail/imap/get-message";
import { listMessages } from "@/lib/mail/imap/list-messages";
import { busyConnectionCount, closeAccountConnections } from "@/lib/mail/imap/pool";
import { accountFor, findUidBySubject, rawClient, requireStackEnv, uidValidityOf, users } from "./support";

// Issue 13, "The tests themselves": a message with 1,000 attachments, on the real Dovecot. It opens
// with every attachment listed under its own name in the message's order, the list marks it as
// having attachments, and any one of them downloads byte-identical, the last as well as the first.
requireStackEnv();
const account = accountFor(users.alice);
const run = randomBytes(3).toString("hex");
const FOLDER = `Many attachments ${run}`;
const SUBJECT = `1000 attachments ${run}`;
const COUNT = 1000;

/** Each attachment's bytes: different for every one, so a mixed-up part number shows. */
const contentOf = (i: number) => Buffer.from(`attachment ${i} of ${COUNT}\n${"x".repeat(i % 97)}\n`, "utf8");
const nameOf = (i: number) => `file ${String(i).padStart(4, "0")}.txt`;

function messageWithAttachments(): string {
  const boundary = `many-${run}`;
  const lines = [
    "From: Sender <sender@example.test>",
    "To: alice@example.test",
    `Subject: ${SUBJECT}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${run}.many@example.test>`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "A thousand files.",
  ];
  for (let i = 1; i <= COUNT; i++) {
    lines.push(
      `--${boundary}`,
      `Content-Type: text/plain; charset=utf-8; name="${nameOf(i)}"`,
      `Content-Disposition: attachment; filename="${nameOf(i)}"`,
      "Content-Transfer-Encoding: base64",
      "",
      contentOf(i).toString("base64"),
    );
  }
  lines.push(`--${boundary}--`, "");
  return lines.join("\r\n");
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let raw: ImapFlow;
let ref: { folder: string; uidValidity: string; uid: number };

beforeAll(async () => {
  raw = await rawClient(users.alice);
  await raw.mailboxCreate(FOLDER);
  await raw.append(FOLDER, messageWithAttachments());
  ref = { folder: FOLDER, uidValidity: await uidValidityOf(raw, FOLDER), uid: await findUidBySubject(raw, FOLDER, SUBJECT) };
});
afterAll(async () => {
  await raw.mailboxDelete(FOLDER).catch(() => undefined);
  await raw.logout();
  await closeAccountConnections(account.key);
});

describe("a message with 1,000 attachments", () => {
  it("is listed as having attachments", async () => {
    const page = await listMessages(account, { folder: FOLDER, page: 0, pageSize: 50 });
    expect(page.messages.map((m) => [m.subject, m.hasAttachments])).toEqual([[SUBJECT, true]]);
  });

  it("opens with every attachment listed, by its own name, in the message's order", async () => {
    const message = await getMessage(account, ref, { allowRemote: false });
    expect(message.subject).toBe(SUBJECT);
    const listed = message.attachments.filter((a) => !a.inline);
    expect(listed).toHaveLength(COUNT);
    expect(listed.map((a) => a.filename)).toEqual(Array.from({ length: COUNT }, (_, k) => nameOf(k + 1)));
    // Part numbers are unique: each name downloads its own part.
    expect(new Set(listed.map((a) => a.partId)).size).toBe(COUNT);
  });

  it("downloads the first, a middle and the last attachment byte-identical, and frees the connection", async () => {
    const message = await getMessage(account, ref, { allowRemote: false });
    const listed = message.attachments.filter((a) => !a.inline);
    for (const i of [1, 500, COUNT]) {
      const attachment = listed[i - 1]!;
      const part = await downloadPart(account, ref, attachment.partId);
      expect(part.filename).toBe(nameOf(i));
      expect((await readAll(part.stream)).equals(contentOf(i)), nameOf(i)).toBe(true);
    }
    expect(busyConnectionCount(account.key)).toBe(0);
  });
});
