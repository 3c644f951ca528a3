import { EventEmitter } from "node:events";
import { beforeEach, describe, expect, it, vi } from "vitest";

// A stand-in for imapflow's client: connects at once, and each test says what its work throws.
class FakeClient extends EventEmitter {
  usable = true;
  mailbox = false;
  async connect() {}
  async logout() {}
  close() {
    this.usable = false;
  }
}
const made: FakeClient[] = [];
vi.mock("./connect", () => ({
  createImapClient: () => {
    const client = new FakeClient();
    made.push(client);
    return client;
  },
}));

Object.assign(process.env, {
  MAIL_IMAP_URL: "imap://127.0.0.1:1",
  MAIL_SMTP_URL: "smtp://127.0.0.1:1",
  AUTH_SECRET: "x".repeat(32),
});
const { withImapClient } = await import("./pool");

const dropped = () => Object.assign(new Error("Connection closed"), { code: "EConnectionClosed" });
let n = 0;
const account = () => ({ key: `pool-test-${++n}`, login: "user@example.test", password: "secret" });

describe("withImapClient", () => {
  beforeEach(() => {
    made.length = 0;
  });

  it("repeats work on a fresh connection when the connection drops under it", async () => {
    let calls = 0;
    const result = await withImapClient(account(), async () => {
      calls += 1;
      if (calls === 1) throw dropped();
      return "done";
    });
    expect(result).toBe("done");
    expect(calls).toBe(2);
    expect(made).toHaveLength(2);
  });

  it("does not repeat work the server may already have done, such as an APPEND", async () => {
    let calls = 0;
    const run = withImapClient(
      account(),
      async () => {
        calls += 1;
        throw dropped();
      },
      { repeatable: false },
    );
    await expect(run).rejects.toMatchObject({ code: "MAIL_SERVER_UNREACHABLE" });
    expect(calls).toBe(1);
  });
});
