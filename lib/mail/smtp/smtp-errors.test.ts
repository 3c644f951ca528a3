import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { describeRefusal, smtpToAppError } from "./smtp-errors";

const rejected = (recipient: string, responseCode: number, response: string) => ({ recipient, responseCode, response });

function messageOf(error: unknown): string {
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).message;
}

describe("smtpToAppError", () => {
  it("says a permanent refusal of every recipient is permanent, and does not suggest waiting", () => {
    const error = {
      code: "EENVELOPE",
      rejectedErrors: [rejected("a@example.org", 554, "554 5.7.1 <a@example.org>: Relay access denied")],
    };
    const text = messageOf(smtpToAppError(error));
    expect(text).toContain("a@example.org: <a@example.org>: Relay access denied (permanent)");
    expect(text).toContain("The refusal is permanent: sending again will not help.");
    expect(text).not.toMatch(/try again|later/i);
  });

  it("suggests trying again later only for a temporary refusal", () => {
    const error = { code: "EENVELOPE", rejectedErrors: [rejected("a@example.org", 450, "450 4.4.1 no relaying")] };
    const text = messageOf(smtpToAppError(error));
    expect(text).toContain("(temporary)");
    expect(text).toContain("try again in a while");
    expect(text).not.toContain("permanent");
  });

  it("tells permanent from temporary when both are refused", () => {
    const error = {
      code: "EENVELOPE",
      rejectedErrors: [rejected("a@example.org", 550, "550 5.1.1 unknown"), rejected("b@example.org", 451, "451 4.3.0 busy")],
    };
    const text = messageOf(smtpToAppError(error));
    expect(text).toContain("a@example.org: unknown (permanent); b@example.org: busy (temporary)");
    expect(text).toContain("Sending again will not help for the permanent refusals");
  });

  it("says whether a refused message (after DATA) is refused for good", () => {
    expect(messageOf(smtpToAppError({ code: "EMESSAGE", responseCode: 554, response: "554 5.7.1 spam" }))).toContain(
      "The refusal is permanent",
    );
    const temporary = messageOf(smtpToAppError({ code: "EMESSAGE", responseCode: 451, response: "451 4.7.1 greylisted" }));
    expect(temporary).toContain("try again in a while");
    expect(temporary).not.toContain("permanent");
  });
});

describe("describeRefusal", () => {
  it("marks one refused recipient of a partly accepted message", () => {
    expect(describeRefusal(rejected("a@example.org", 550, "550 5.1.1 <a@example.org>: User unknown"))).toBe(
      "<a@example.org>: User unknown (permanent)",
    );
    expect(describeRefusal({ responseCode: 452 })).toBe("refused by the server (temporary)");
  });
});
