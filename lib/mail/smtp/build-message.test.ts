import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildMessage, stripBccHeader } from "./build-message";
import { sizeFromEhlo } from "./submit-message";

const message = {
  from: { name: "Alice", address: "alice@example.test" },
  to: [{ name: "Jörg", address: "joerg@example.test" }],
  cc: [],
  bcc: [{ name: "Hidden", address: "hidden@example.test" }],
  subject: "Grüße — a non-ASCII subject",
  html: "<p>Hello <strong>Jörg</strong></p>",
  text: "Hello Jörg",
  attachments: [{ filename: "Übersicht.pdf", contentType: "application/pdf", content: Readable.from([Buffer.from("%PDF-1.4 test")]) }],
  messageId: "<k1@example.test>",
  inReplyTo: "<p1@example.test>",
  references: ["<p0@example.test>", "<p1@example.test>"],
  date: new Date("2026-12-01T10:00:00Z"),
};

describe("buildMessage", () => {
  it("builds multipart/alternative inside mixed, encodes non-ASCII, keeps Bcc only in the filed copy", async () => {
    const built = await buildMessage(message);
    const filed = built.withBcc.toString("latin1");
    const sent = Buffer.concat(built.forTransport).toString("latin1");
    expect(filed).toMatch(/^Bcc: Hidden <hidden@example\.test>\r$/m);
    expect(sent).not.toMatch(/^Bcc:/im);
    expect(sent).not.toContain("hidden@example.test");
    expect(sent).toMatch(/Content-Type: multipart\/mixed/);
    expect(sent).toMatch(/Content-Type: multipart\/alternative/);
    expect(sent.indexOf("text/plain")).toBeLessThan(sent.indexOf("text/html"));
    expect(sent).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(sent).toMatch(/filename\*0?\*?=utf-8''|filename="=\?UTF-8\?/i);
    expect(sent).toContain("In-Reply-To: <p1@example.test>");
    expect(sent).toContain("References: <p0@example.test> <p1@example.test>");
    expect(built.envelope).toEqual({ from: "alice@example.test", to: ["joerg@example.test", "hidden@example.test"] });
    // Everything after the header is byte-identical between the two.
    const body = (b: Buffer) => b.subarray(b.indexOf("\r\n\r\n"));
    expect(body(Buffer.concat(built.forTransport)).equals(body(built.withBcc))).toBe(true);
  });
});

describe("stripBccHeader", () => {
  it("removes a folded Bcc and nothing else, and leaves the body alone", () => {
    const raw = Buffer.from("To: a@x.test\r\nBcc: b@x.test,\r\n c@x.test\r\nSubject: s\r\n\r\nBcc: not a header\r\n");
    expect(Buffer.concat(stripBccHeader(raw)).toString()).toBe("To: a@x.test\r\nSubject: s\r\n\r\nBcc: not a header\r\n");
  });
});

describe("sizeFromEhlo", () => {
  it("reads RFC 1870 SIZE, treating 0 or absence as no limit", () => {
    expect(sizeFromEhlo("250-mail.example.test\r\n250-SIZE 52428800\r\n250 8BITMIME")).toBe(52428800);
    expect(sizeFromEhlo("250-mail.example.test\n250-SIZE 0\n250 8BITMIME")).toBeNull();
    expect(sizeFromEhlo("250-mail.example.test\n250 8BITMIME")).toBeNull();
  });
});
