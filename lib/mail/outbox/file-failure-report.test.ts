import { describe, expect, it } from "vitest";
import { buildReport, diagnosticOf } from "./file-failure-report";
import type { OutboxEntry } from "./outbox-entries";

const entry = {
  id: "k",
  login: "alice@example.test",
  subject: "Plans",
  createdAt: Date.parse("2026-12-01T10:00:00Z"),
  raw: Buffer.from("From: alice@example.test\r\nTo: x@example.test\r\nSubject: Plans\r\n\r\nHi\r\n").toString("base64"),
} as OutboxEntry;

describe("the outbox's delivery report", () => {
  it("gives each refused recipient the server's reply with its code as Diagnostic-Code (RFC 3464 §2.3.6)", async () => {
    const report = (
      await buildReport(
        entry,
        [
          { address: "a@example.test", reply: "550 5.1.1 <a@example.test>: Recipient address rejected", code: 550 },
          // Kept without the code (entries accepted before it was kept): the code goes back in front.
          { address: "b@example.test", reply: "Mailbox unavailable (permanent)", code: 553 },
          { address: "c@example.test", reply: "451 Try again later", code: 451 },
        ],
        "Some recipients refused.",
      )
    ).toString();
    expect(report).toContain("Final-Recipient: rfc822; a@example.test\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <a@example.test>: Recipient address rejected");
    expect(report).toContain("Final-Recipient: rfc822; b@example.test\r\nAction: failed\r\nStatus: 5.0.0\r\nDiagnostic-Code: smtp; 553 Mailbox unavailable (permanent)");
    // A temporary refusal without an enhanced code is of class 4 (RFC 3463), not 5.
    expect(report).toContain("Final-Recipient: rfc822; c@example.test\r\nAction: failed\r\nStatus: 4.0.0\r\nDiagnostic-Code: smtp; 451 Try again later");
  });

  it("leaves our own words alone when there was no reply at all", () => {
    expect(diagnosticOf({ address: "a@example.test", reply: "The mail server is unreachable.", code: null })).toBe("The mail server is unreachable.");
  });
});
