import { describe, expect, it } from "vitest";
import { readArrivalHeaders } from "./read-arrival-headers";

describe("readArrivalHeaders", () => {
  it("reads a folded Date with a comment and the Message-ID", () => {
    const raw = Buffer.from("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nDate: Tue, 01 Dec 2026\r\n 10:00:00 +0100 (CET)\r\nMessage-ID:  <abc@example.test>\r\n\r\nDate: not this\r\n");
    expect(readArrivalHeaders(raw)).toEqual({
      date: new Date("2026-12-01T09:00:00Z"),
      messageId: "<abc@example.test>",
      subject: "Grüße",
    });
  });

  it("gives null for a missing or unreadable Date and a missing Message-ID, and never reads the body", () => {
    expect(readArrivalHeaders(Buffer.from("Date: yesterday-ish\r\n\r\nMessage-ID: <body@x>\r\n"))).toEqual({ date: null, messageId: null, subject: null });
    expect(readArrivalHeaders(Buffer.from("no header end at all"))).toEqual({ date: null, messageId: null, subject: null });
  });
});
