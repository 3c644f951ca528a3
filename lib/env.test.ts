import { describe, expect, it } from "vitest";
import { serverConfig } from "./env";

const good = {
  MAIL_IMAP_URL: "imaps://imap.example.org",
  MAIL_SMTP_URL: "smtp://smtp.example.org:2525",
  AUTH_SECRET: "x".repeat(32),
};

describe("serverConfig", () => {
  it("derives ports and TLS from the URL schemes", () => {
    const config = serverConfig(good);
    expect(config.imap).toEqual({ host: "imap.example.org", port: 993, secure: true });
    expect(config.smtp).toEqual({ host: "smtp.example.org", port: 2525, secure: false });
    expect(config.tlsInsecure).toBe(false);
  });

  it("names every bad or missing variable in one message", () => {
    expect(() => serverConfig({ MAIL_IMAP_URL: "http://imap.example.org", AUTH_SECRET: "short" })).toThrowError(
      /MAIL_IMAP_URL: scheme must be one of imap, imaps\n {2}MAIL_SMTP_URL: is not set.*\n {2}AUTH_SECRET: must be at least 32/,
    );
  });

  it("defaults the sending limits and reads them when set", () => {
    expect(serverConfig(good)).toMatchObject({ maxMessageBytes: 25 * 1024 * 1024, uploadDir: "" });
    expect(serverConfig({ ...good, MAIL_MAX_MESSAGE_BYTES: "1048576", MAIL_UPLOAD_DIR: "/var/tmp/lb" })).toMatchObject({
      maxMessageBytes: 1048576,
      uploadDir: "/var/tmp/lb",
    });
    expect(() => serverConfig({ ...good, MAIL_MAX_MESSAGE_BYTES: "ten" })).toThrowError(/MAIL_MAX_MESSAGE_BYTES/);
  });
});
