import { Readable } from "node:stream";
import type { ImapFlow } from "imapflow";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadPart, downloadSource } from "@/lib/mail/imap/download-part";
import { getMessage } from "@/lib/mail/imap/get-message";
import { serverConfig } from "@/lib/env";
import { busyConnectionCount, closeAccountConnections, connectionCount } from "@/lib/mail/imap/pool";
import { setMessageFlags } from "@/lib/mail/imap/set-message-flags";
import { accountFor, findUidBySubject, rawClient, requireStackEnv, uidValidityOf, users, waitFor } from "./support";

requireStackEnv();
const account = accountFor(users.alice);
let raw: ImapFlow;
let uidValidity: string;

async function refFor(subject: string) {
  return { folder: "INBOX", uidValidity, uid: await findUidBySubject(raw, "INBOX", subject) };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  raw = await rawClient(users.alice);
  uidValidity = await uidValidityOf(raw, "INBOX");
});
afterAll(async () => {
  await raw.logout();
  await closeAccountConnections(account.key);
});

describe("getMessage", () => {
  it("prefers the HTML alternative and leaves \\Seen alone", async () => {
    const ref = await refFor("Welcome to Letterbox");
    await raw.mailboxOpen("INBOX");
    await raw.messageFlagsRemove(String(ref.uid), ["\\Seen"], { uid: true });
    const message = await getMessage(account, ref, { allowRemote: false });
    expect(message.subject).toBe("Welcome to Letterbox");
    expect(message.html).toMatch(/<(p|div|table|h1)/i);
    expect(message.html).not.toMatch(/<script/i);
    const flags = await raw.fetchOne(String(ref.uid), { flags: true }, { uid: true });
    expect(flags && flags.flags?.has("\\Seen")).toBe(false);
  });

  it("blocks remote images unless allowed", async () => {
    const ref = await refFor("Tracking pixel test");
    const blocked = await getMessage(account, ref, { allowRemote: false });
    expect(blocked.remoteContentBlocked).toBe(true);
    expect(blocked.html).not.toMatch(/src=["']?https?:/i);
    const allowed = await getMessage(account, ref, { allowRemote: true });
    // Allowed, the logo and the background load through the image proxy, signed for this login;
    // nothing in the body points the browser at another host, and the 1×1 tracker is dropped.
    expect(allowed.html).toMatch(/src="\/api\/proxy\?url=https%3A%2F%2Fcdn\.shop\.invalid%2Flogo\.png&amp;sig=[\w-]{43}"/);
    expect(allowed.html).toContain("/api/proxy?url=https%3A%2F%2Fcdn.shop.invalid%2Fbg.png");
    expect(allowed.html).not.toMatch(/(?:src=|url\()["']?https?:/i);
    expect(allowed.html).not.toContain("tracker.invalid");
  });

  it("rewrites cid: images to the app's own part URLs and keeps them out of the attachment list", async () => {
    const ref = await refFor("Newsletter with inline images");
    const message = await getMessage(account, ref, { allowRemote: false });
    expect(message.html).toContain(`/api/messages/${ref.uid}/parts/`);
    expect(message.html).not.toContain("cid:");
    expect(message.attachments.filter((a) => a.inline).length).toBeGreaterThan(0);
  });

  it("decodes a body in ISO-8859-1", async () => {
    const message = await getMessage(account, await refFor("Grüße aus Köln"), { allowRemote: false });
    expect(message.html).toMatch(/[äöüß]/);
    expect(message.html).not.toContain("\uFFFD");
  });

  it("shows the whole body of a single-part message longer than one download chunk", async () => {
    // A message that is not multipart is downloaded as section TEXT (one FETCH fewer than "1"):
    // base64 over several 64 kB chunks, in a charset of its own, must come back whole and decoded.
    const folder = `Single part ${Date.now()}`;
    await raw.mailboxCreate(folder);
    try {
      const lines = Array.from({ length: 6000 }, (_, i) => `Zeile ${i + 1}: Grüße, Äpfel und Straßenbahn.`);
      const body = Buffer.from([...lines, "Ende der Nachricht."].join("\r\n"), "latin1").toString("base64").replace(/.{76}/g, "$&\r\n");
      const source = [
        "From: Jürgen <juergen@example.test>",
        "To: alice@example.test",
        "Subject: Long single part",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=ISO-8859-1",
        "Content-Transfer-Encoding: base64",
        "",
        body,
      ].join("\r\n");
      expect(source.length).toBeGreaterThan(3 * 64 * 1024);
      const appended = await raw.append(folder, source);
      if (!appended || !appended.uid) throw new Error("the server gave no UID for the appended message");
      const message = await getMessage(account, { folder, uidValidity: await uidValidityOf(raw, folder), uid: appended.uid }, { allowRemote: false });
      expect(message.html).toContain("Zeile 1: Grüße, Äpfel und Straßenbahn.");
      expect(message.html).toContain("Zeile 6000: Grüße");
      expect(message.html).toContain("Ende der Nachricht.");
      expect(message.html).not.toContain("\uFFFD");
      expect(message.html).not.toContain("Content-Transfer-Encoding");
    } finally {
      await raw.mailboxDelete(folder);
    }
  });

  it("lists a forwarded message/rfc822 as an attachment", async () => {
    const message = await getMessage(account, await refFor("Forwarded message attached"), { allowRemote: false });
    expect(message.attachments.some((a) => a.contentType === "message/rfc822")).toBe(true);
  });

  it("refuses a stale UIDVALIDITY rather than show another message", async () => {
    const ref = await refFor("Welcome to Letterbox");
    await expect(getMessage(account, { ...ref, uidValidity: "1" }, { allowRemote: false })).rejects.toMatchObject({
      code: "FOLDER_CHANGED",
    });
  });
});

describe("downloadPart", () => {
  it("streams each attachment byte-identical to what the message carries", async () => {
    const ref = await refFor("Quarterly report");
    const message = await getMessage(account, ref, { allowRemote: false });
    const source = await readAll(await downloadSource(account, ref));
    const parsed = await simpleParser(source);
    const listed = message.attachments.filter((a) => !a.inline);
    expect(listed.map((a) => a.filename)).toContain("report-q3.pdf");
    for (const attachment of listed) {
      const expected = parsed.attachments.find((p) => p.filename === attachment.filename);
      expect(expected, attachment.filename).toBeDefined();
      const part = await downloadPart(account, ref, attachment.partId);
      expect(part.filename).toBe(attachment.filename);
      expect((await readAll(part.stream)).equals(expected!.content)).toBe(true);
    }
  });

  it("refuses a part id the message structure does not list", async () => {
    const ref = await refFor("Quarterly report");
    await expect(downloadPart(account, ref, "99")).rejects.toMatchObject({ code: "PART_NOT_FOUND" });
    await expect(downloadPart(account, ref, "1")).rejects.toMatchObject({ code: "PART_NOT_FOUND" });
  });

  it("frees the connection when the browser stops a download early", async () => {
    const ref = await refFor("Quarterly report");
    const message = await getMessage(account, ref, { allowRemote: false });
    const partId = message.attachments.find((a) => !a.inline)!.partId;
    // More stopped downloads than the session may hold connections: one leaked busy connection per
    // download would show in the count at once, and would leave nothing for the request after them.
    const cap = serverConfig().imapMaxConnectionsPerAccount;
    for (let i = 0; i <= cap; i++) {
      const part = await downloadPart(account, ref, partId);
      expect(busyConnectionCount(account.key)).toBe(1);
      part.stream.destroy();
      await waitFor("the stopped download to give its connection back", () => busyConnectionCount(account.key) === 0, 5000);
    }
    const again = await getMessage(account, ref, { allowRemote: false });
    expect(again.uid).toBe(ref.uid);
    expect(connectionCount(account.key)).toBeLessThanOrEqual(cap);
  });
});

describe("setMessageFlags", () => {
  it("marks read and unread on the server", async () => {
    const ref = await refFor("Welcome to Letterbox");
    const flagsOf = async () => (await raw.fetchOne(String(ref.uid), { flags: true }, { uid: true })) || null;
    await raw.mailboxOpen("INBOX");
    await setMessageFlags(account, ref, { seen: true, flagged: true });
    expect((await flagsOf())?.flags?.has("\\Seen")).toBe(true);
    expect((await flagsOf())?.flags?.has("\\Flagged")).toBe(true);
    await setMessageFlags(account, ref, { seen: false, flagged: false });
    expect((await flagsOf())?.flags?.has("\\Seen")).toBe(false);
    expect((await flagsOf())?.flags?.has("\\Flagged")).toBe(false);
  });
});
