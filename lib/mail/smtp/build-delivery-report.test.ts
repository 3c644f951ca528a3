import { describe, expect, it } from "vitest";
import { buildDeliveryReport } from "./build-delivery-report";

describe("buildDeliveryReport", () => {
  it("is a multipart/report of delivery-status (RFC 3464) with one block per recipient and the original attached", async () => {
    const original = Buffer.from("From: a@x.test\r\nTo: b@y.test\r\nSubject: Plans\r\n\r\nSee you.\r\n");
    const raw = await buildDeliveryReport({
      to: "a@x.test",
      reportingHost: "letterbox.local",
      arrivalDate: new Date("2026-12-01T10:00:00Z"),
      subject: "Plans",
      explanation: "Your message could not be delivered.",
      // A reply is the server's text: a line break in it must not become a header of ours.
      recipients: [
        { address: "b@y.test", status: "5.1.1", diagnostic: "550 5.1.1 <b@y.test>: User unknown\r\nX-Evil: 1" },
        { address: "c@y.test", status: "nonsense", diagnostic: "554 no" },
      ],
      original,
      messageId: "<report-1@x.test>",
      date: new Date("2026-12-01T10:05:00Z"),
    });
    const text = raw.toString();
    expect(text).toMatch(/Content-Type: multipart\/report; report-type=delivery-status;/);
    expect(text).toContain(
      "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; letterbox.local\r\nArrival-Date: Tue, 01 Dec 2026 10:00:00 GMT\r\n\r\n" +
        "Final-Recipient: rfc822; b@y.test\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <b@y.test>: User unknown X-Evil: 1\r\n\r\n" +
        "Final-Recipient: rfc822; c@y.test\r\nAction: failed\r\nStatus: 5.0.0\r\nDiagnostic-Code: smtp; 554 no",
    );
    expect(text).not.toMatch(/^X-Evil/m);
    expect(text).toMatch(/^Subject: Undelivered Mail Returned to Sender: Plans\r$/m);
    expect(text).toMatch(/^Auto-Submitted: auto-replied\r$/m);
    // The original whole, as the last part's body.
    expect(text).toContain(`Content-Type: message/rfc822\r\n\r\n${original.toString()}`);
  });
});
