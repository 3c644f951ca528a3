import { ImapFlow } from "imapflow";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { toAppError } from "@/lib/mail/imap/to-app-error";
import { verifyLogin } from "@/lib/mail/imap/verify-login";
import { requireStackEnv, users } from "./support";

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

  it("calls a dead server unreachable, not a wrong password", async () => {
    // A port nobody listens on: the real error imapflow raises, mapped by the app's one mapping.
    const client = new ImapFlow({ host: "127.0.0.1", port: 9, secure: false, logger: false, auth: { user: "a", pass: "b" } });
    client.on("error", () => undefined);
    const error = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    const mapped = toAppError(error);
    expect(mapped).toBeInstanceOf(AppError);
    expect((mapped as AppError).code).toBe("MAIL_SERVER_UNREACHABLE");
  });
});
