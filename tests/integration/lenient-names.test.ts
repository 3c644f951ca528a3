import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadPart } from "@/lib/mail/imap/download-part";
import { getMessage } from "@/lib/mail/imap/get-message";
import { closeAccountConnections } from "@/lib/mail/imap/pool";
import { accountFor, rawClient, requireStackEnv, uidValidityOf, users } from "./support";

// Issue 13: an attachment named with an unquoted value containing spaces (invalid per RFC 2045
// §5.1, common in old mail) comes out of Dovecot's BODYSTRUCTURE cut at the first space. The reader
// and the download take the name from the part's own MIME header instead.
requireStackEnv();
const account = accountFor(users.carol);
const FOLDER = `Lenient ${randomBytes(3).toString("hex")}`;
let raw: ImapFlow;
let uid = 0;
let uidValidity = "";

const MESSAGE = [
  "From: Old Mailer <old@example.test>",
  "To: carol@example.test",
  "Subject: Catalogue",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="b1"',
  "",
  "--b1",
  "Content-Type: text/plain; charset=us-ascii",
  "",
  "The catalogue is attached.",
  "--b1",
  "Content-Type: application/msword",
  "Content-Disposition: attachment; filename=Yinxiang Motorcycles.doc",
  "Content-Transfer-Encoding: base64",
  "",
  Buffer.from("catalogue bytes").toString("base64"),
  "--b1",
  "Content-Type: application/pdf; name=Price list 2026.pdf",
  "Content-Transfer-Encoding: base64",
  "",
  Buffer.from("prices").toString("base64"),
  "--b1",
  'Content-Type: text/plain; name="notes"',
  "Content-Disposition: attachment",
  "",
  "a name with no extension that no one cut",
  "--b1--",
  "",
].join("\r\n");

beforeAll(async () => {
  raw = await rawClient(users.carol);
  await raw.mailboxCreate(FOLDER);
  const appended = await raw.append(FOLDER, MESSAGE);
  uid = appended && appended.uid ? appended.uid : 0;
  uidValidity = await uidValidityOf(raw, FOLDER);
});

afterAll(async () => {
  await raw.mailboxDelete(FOLDER);
  await raw.logout();
  await closeAccountConnections(account.key);
});

describe("attachment names the server's structure cut at a space", () => {
  it("are cut in Dovecot's BODYSTRUCTURE (what this test is about)", async () => {
    const lock = await raw.getMailboxLock(FOLDER);
    try {
      const message = await raw.fetchOne(String(uid), { bodyStructure: true }, { uid: true });
      const parts = message ? (message.bodyStructure?.childNodes ?? []) : [];
      expect(parts[1]?.dispositionParameters?.filename).toBe("Yinxiang");
      expect(parts[2]?.parameters?.name).toBe("Price");
    } finally {
      lock.release();
    }
  });

  it("are shown whole in the reader, and an uncut name without extension stays as it is", async () => {
    const message = await getMessage(account, { folder: FOLDER, uidValidity, uid }, { allowRemote: false });
    expect(message.attachments.map((a) => a.filename)).toEqual(["Yinxiang Motorcycles.doc", "Price list 2026.pdf", "notes"]);
  });

  it("are downloaded under the whole name", async () => {
    const download = await downloadPart(account, { folder: FOLDER, uidValidity, uid }, "2");
    const chunks: Buffer[] = [];
    for await (const chunk of download.stream as Readable) chunks.push(chunk as Buffer);
    expect(download.filename).toBe("Yinxiang Motorcycles.doc");
    expect(Buffer.concat(chunks).toString()).toBe("catalogue bytes");
  });
});
