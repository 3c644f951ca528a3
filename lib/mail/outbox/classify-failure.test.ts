import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { smtpToAppError } from "@/lib/mail/smtp/smtp-errors";
import { classifyFailure, retryDelayMs } from "./classify-failure";

// nodemailer's errors as it throws them (code, responseCode, response), mapped as submitMessage maps them.
const smtp = (fields: Record<string, unknown>) => smtpToAppError(Object.assign(new Error("smtp"), fields));

describe("classifyFailure", () => {
  it("retries what has no reply or a 4yz reply (RFC 5321 §4.2.1)", () => {
    for (const error of [
      smtp({ code: "ECONNECTION" }),
      smtp({ code: "ETIMEDOUT" }),
      smtp({ code: "ESOCKET" }),
      Object.assign(new Error("Client network socket disconnected before secure TLS connection was established"), { code: "ECONNRESET" }),
      smtp({ code: "EMESSAGE", responseCode: 451, response: "451 4.3.0 Error: queue file write error" }),
      smtp({ code: "EAUTH", responseCode: 454, response: "454 4.7.0 Temporary authentication failure" }),
      smtp({ code: "EENVELOPE", rejectedErrors: [{ recipient: "a@x", responseCode: 450, response: "450 4.2.0 busy" }] }),
    ]) {
      expect(classifyFailure(error).kind).toBe("temporary");
    }
    expect(classifyFailure(smtp({ code: "ECONNECTION" }))).toEqual({ kind: "temporary", reason: "The mail server is unreachable." });
  });

  it("stops at once on a 5yz reply or a refused password, naming each refused recipient with its reply", () => {
    expect(classifyFailure(smtp({ code: "EAUTH", responseCode: 535, response: "535 5.7.8 Error: authentication failed" }))).toMatchObject({
      kind: "permanent",
      recipients: null,
      reason: expect.stringContaining("refused your password"),
    });
    expect(classifyFailure(smtp({ code: "EMESSAGE", responseCode: 554, response: "554 5.7.1 spam" }))).toMatchObject({ kind: "permanent" });
    expect(classifyFailure(new AppError("MESSAGE_TOO_LARGE")).kind).toBe("permanent");
    const refused = smtp({
      code: "EENVELOPE",
      rejectedErrors: [{ recipient: "nobody@x", responseCode: 550, response: "550 5.1.1 <nobody@x>: User unknown" }],
    });
    expect(classifyFailure(refused)).toMatchObject({
      kind: "permanent",
      recipients: [{ address: "nobody@x", reply: "550 5.1.1 <nobody@x>: User unknown", code: 550 }],
    });
  });
});

describe("retryDelayMs", () => {
  it("waits about 1, 5 and 15 minutes, then every hour, each within ±20 %", () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 9].map((n) => retryDelayMs(n, mid))).toEqual([60_000, 300_000, 900_000, 3_600_000, 3_600_000]);
    expect(retryDelayMs(1, () => 0)).toBe(48_000);
    expect(retryDelayMs(4, () => 0.999_999)).toBeLessThanOrEqual(4_320_000);
  });
});
