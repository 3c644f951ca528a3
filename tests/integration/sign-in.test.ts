import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { verifyLogin } from "@/lib/mail/imap/verify-login";
import { mailStack, requireStackEnv, users } from "./support";

requireStackEnv();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
}

describe("verifyLogin against Dovecot", () => {
  it("accepts the right password", async () => {
    expect(await codeOf(verifyLogin(users.alice.login, users.alice.password))).toBe("OK");
  });

  it("calls a wrong password a wrong password, and a later right one still works at once", async () => {
    expect(await codeOf(verifyLogin(users.alice.login, "wrong"))).toBe("WRONG_CREDENTIALS");
    expect(await codeOf(verifyLogin("nobody@example.test", "x"))).toBe("WRONG_CREDENTIALS");
    expect(await codeOf(verifyLogin(users.alice.login, users.alice.password))).toBe("OK");
  });

  it("calls a stopped server unreachable, not a wrong password, and signs in once it is back", async () => {
    mailStack("imap-stop");
    try {
      expect(await codeOf(verifyLogin(users.alice.login, users.alice.password))).toBe("MAIL_SERVER_UNREACHABLE");
      expect(await codeOf(verifyLogin(users.alice.login, "wrong"))).toBe("MAIL_SERVER_UNREACHABLE");
    } finally {
      mailStack("imap-start");
    }
    expect(await codeOf(verifyLogin(users.alice.login, users.alice.password))).toBe("OK");
  });
});
