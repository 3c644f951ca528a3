import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { closeAccountConnections, connectionCount, withImapClient } from "@/lib/mail/imap/pool";
import { verifyLogin, type VerifiedLogin } from "@/lib/mail/imap/verify-login";
import { accountFor, mailStack, requireStackEnv, users } from "./support";

requireStackEnv();

async function codeOf(promise: Promise<VerifiedLogin>): Promise<string> {
  try {
    (await promise).drop();
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

  it("keeps the connection that checked the password for the session: its first request opens none", async () => {
    const account = accountFor(users.alice);
    const verified = await verifyLogin(users.alice.login, users.alice.password);
    verified.keep(account);
    expect(connectionCount(account.key)).toBe(1);
    const folders = await withImapClient(account, (client) => client.list());
    expect(folders.some((f) => f.path === "INBOX")).toBe(true);
    expect(connectionCount(account.key)).toBe(1);
    // Kept is kept: a drop after it (the sign-in's finally) leaves it to the session.
    verified.drop();
    expect(connectionCount(account.key)).toBe(1);
    await closeAccountConnections(account.key);
  });
});
