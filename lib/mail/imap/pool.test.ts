import { EventEmitter } from "node:events";
import { beforeEach, describe, expect, it, vi } from "vitest";

// A stand-in for imapflow's client: connects at once, and each test says what its work throws.
class FakeClient extends EventEmitter {
  usable = true;
  mailbox: false | { path: string } = false;
  async connect() {}
  selects = 0;
  // imapflow's mailbox lock: one holder at a time, in order; SELECT when another folder is selected.
  private locked: Promise<void> = Promise.resolve();
  async getMailboxLock(path: string) {
    const previous = this.locked;
    let release!: () => void;
    this.locked = new Promise<void>((resolve) => (release = resolve));
    await previous;
    if (!this.mailbox || this.mailbox.path !== path) {
      this.selects += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      this.mailbox = { path };
    }
    return { release };
  }
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
const { keepSelected, SELECT_AHEAD_MIN_MESSAGES, withImapClient } = await import("./pool");

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

describe("which pooled connection takes the work", () => {
  // Two connections of one session, the first with folder A selected, the second with B.
  async function twoConnections() {
    const acc = account();
    made.length = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = withImapClient(acc, () => held);
    await withImapClient(acc, async () => undefined);
    release();
    await first;
    made[0]!.mailbox = { path: "A" };
    made[1]!.mailbox = { path: "B" };
    return acc;
  }

  it("work in a folder goes to the idle connection that has it selected", async () => {
    const acc = await twoConnections();
    expect(await withImapClient(acc, async (c) => c, { affinity: { path: "B", selected: true } })).toBe(made[1]);
    expect(await withImapClient(acc, async (c) => c, { affinity: { path: "A", selected: true } })).toBe(made[0]);
    expect(made).toHaveLength(2);
  });

  it("work in no folder takes an idle connection with none selected, if there is one", async () => {
    const acc = await twoConnections();
    made[1]!.mailbox = false;
    expect(await withImapClient(acc, async (c) => c)).toBe(made[1]);
    // Both with a folder: any idle one, and no connection opened for it.
    made[1]!.mailbox = { path: "B" };
    expect(made).toContain(await withImapClient(acc, async (c) => c));
    expect(made).toHaveLength(2);
  });

  it("a folder's STATUS leaves the connection that has it selected alone, and opens one of its own under the cap", async () => {
    const acc = await twoConnections();
    expect(await withImapClient(acc, async (c) => c, { affinity: { path: "A", selected: false } })).toBe(made[1]);
    made[1]!.mailbox = { path: "A" };
    // Both idle connections have A selected: a third is opened rather than deselect A on either.
    const third = await withImapClient(acc, async (c) => c, { affinity: { path: "A", selected: false } });
    expect(made).toHaveLength(3);
    expect(third).toBe(made[2]);
    // At the cap (3), an idle connection is taken whatever it has selected.
    made[2]!.mailbox = { path: "A" };
    expect(made).toContain(await withImapClient(acc, async (c) => c, { affinity: { path: "A", selected: false } }));
    expect(made).toHaveLength(3);
  });
});

describe("keepSelected", () => {
  it("selects a large listed folder ahead on an idle connection, and the reader's work waits for it rather than select it again", async () => {
    const acc = account();
    made.length = 0;
    await withImapClient(acc, async () => undefined);
    keepSelected(acc, "Small", SELECT_AHEAD_MIN_MESSAGES - 1);
    keepSelected(acc, "Big", SELECT_AHEAD_MIN_MESSAGES);
    // Opened at once, as a click after the list would: it joins the connection selecting "Big".
    const reader = await withImapClient(
      acc,
      async (c) => {
        (await c.getMailboxLock("Big")).release();
        return c;
      },
      { affinity: { path: "Big", selected: true } },
    );
    expect(reader).toBe(made[0]);
    expect(made).toHaveLength(1);
    expect(made[0]!.mailbox).toEqual({ path: "Big" });
    expect(made[0]!.selects).toBe(1);
    // Selected already: nothing more to do.
    keepSelected(acc, "Big", SELECT_AHEAD_MIN_MESSAGES);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(made[0]!.selects).toBe(1);
  });
});
