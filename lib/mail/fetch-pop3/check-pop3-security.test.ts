import { afterEach, describe, expect, it, vi } from "vitest";

// The real configuration module, read from the environment as the server reads it; each case loads
// it anew, since the server reads its configuration once per process.
async function checkWith(allow: string | undefined) {
  vi.resetModules();
  vi.stubEnv("MAIL_IMAP_URL", "imaps://imap.example.org");
  vi.stubEnv("MAIL_SMTP_URL", "smtp://smtp.example.org:587");
  vi.stubEnv("AUTH_SECRET", "x".repeat(32));
  vi.stubEnv("MAIL_POP3_ALLOW_PLAINTEXT", allow);
  return (await import("./check-pop3-security")).checkPop3Security;
}

describe("checkPop3Security", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it.each([undefined, "", "0"])("refuses security 'None' when MAIL_POP3_ALLOW_PLAINTEXT is %j", async (allow) => {
    const check = await checkWith(allow);
    expect(() => check({ security: "none" })).toThrowError(expect.objectContaining({ code: "POP3_PLAINTEXT_REFUSED" }));
    // TLS and STARTTLS never send the password in the clear: always accepted.
    expect(() => check({ security: "tls" })).not.toThrow();
    expect(() => check({ security: "starttls" })).not.toThrow();
  });

  it("accepts 'None' once the administrator set MAIL_POP3_ALLOW_PLAINTEXT=1", async () => {
    const check = await checkWith("1");
    expect(() => check({ security: "none" })).not.toThrow();
  });
});
