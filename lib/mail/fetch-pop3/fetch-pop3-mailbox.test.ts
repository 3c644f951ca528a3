import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";

// The order of operations, with the POP3 session, the IMAP functions and the store faked: what is
// written down before APPEND, that DELE follows only a confirmed APPEND, and QUIT only the end.
// The same flows run against real Dovecot and the real store in tests/integration/fetch-pop3.test.ts.
const log: string[] = [];
const imap = {
  appendToFolder: vi.fn(async (_account: unknown, _folder: string, raw: Buffer) => {
    log.push(`APPEND ${raw.toString().split("\r\n")[0]}`);
    return { uid: 1 };
  }),
  hasMessageWithId: vi.fn(async () => false),
  hasMessageWithHeader: vi.fn(async (..._args: unknown[]) => false),
};
vi.mock("@/lib/mail/imap/append-to-folder", () => ({ appendToFolder: (...a: Parameters<typeof imap.appendToFolder>) => imap.appendToFolder(...a) }));
vi.mock("@/lib/mail/imap/find-message-by-id", () => ({ hasMessageWithId: () => imap.hasMessageWithId() }));
vi.mock("@/lib/mail/imap/find-message-by-header", () => ({ hasMessageWithHeader: (...a: unknown[]) => imap.hasMessageWithHeader(...a) }));
vi.mock("@/lib/mail/imap/ensure-folder", () => ({ ensureFolder: async () => ({ created: false }) }));
vi.mock("@/lib/mail/imap/read-append-limit", () => ({ readAppendLimit: async () => null }));

const mailbox = [
  { uid: "u1", raw: Buffer.from("Subject: one\r\nMessage-ID: <one@x>\r\n\r\nbody\r\n") },
  { uid: "u2", raw: Buffer.from("Subject: two\r\nMessage-ID: <two@x>\r\n\r\nbody\r\n") },
];
vi.mock("@/lib/mail/pop3", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/mail/pop3")>()),
  connectPop3: async () => ({
    listUniqueIds: async () => mailbox.map((m, i) => ({ number: i + 1, uid: m.uid })),
    listSizes: async () => mailbox.map((m, i) => ({ number: i + 1, size: m.raw.length })),
    retrieve: async (n: number) => {
      log.push(`RETR ${n}`);
      return mailbox[n - 1]!.raw;
    },
    retrieveHeaders: async (n: number) => mailbox[n - 1]!.raw,
    markDeleted: async (n: number) => void log.push(`DELE ${n}`),
    quit: async () => void log.push("QUIT"),
    close: () => void log.push("CLOSE"),
  }),
}));

const { fetchPop3Mailbox } = await import("./fetch-pop3-mailbox");

function fakeKv() {
  const entries = new Map<string, unknown>();
  return {
    entries,
    get: async <T>(key: string) => (entries.has(key) ? (structuredClone(entries.get(key)) as T) : null),
    set: async <T>(key: string, value: T) => {
      log.push(`STORE ${(value as { state: string }).state} ${key.split(":").pop()}`);
      entries.set(key, structuredClone(value));
    },
    delete: async (key: string) => {
      log.push(`FORGET ${key.split(":").pop()}`);
      entries.delete(key);
    },
  };
}

function fakeLeases() {
  const held = new Map<string, string>();
  return {
    acquire: async (name: string, holder: string) => (held.has(name) && held.get(name) !== holder ? false : (held.set(name, holder), true)),
    renew: async (name: string, holder: string) => held.get(name) === holder,
    release: async (name: string, holder: string) => void (held.get(name) === holder && held.delete(name)),
  };
}

const options = (kv: ReturnType<typeof fakeKv>, leases = fakeLeases()) => ({
  accountId: "a1",
  source: { host: "pop.example.test", port: 995, security: "tls" as const, login: "dave", password: "pw" },
  mode: "delete" as const,
  destination: { account: { key: "k", login: "alice", password: "pw" }, folder: "Old mail" },
  kv,
  leases,
});

describe("fetchPop3Mailbox, order of operations", () => {
  beforeEach(() => {
    log.length = 0;
    imap.appendToFolder.mockClear();
    imap.hasMessageWithId.mockReset().mockResolvedValue(false);
    imap.hasMessageWithHeader.mockReset().mockResolvedValue(false);
  });

  it("writes 'appending', APPENDs, writes 'appended', then DELE; QUIT only at the end", async () => {
    const report = await fetchPop3Mailbox(options(fakeKv()));
    expect(report).toMatchObject({ fetched: 2, deleted: 2, problem: null });
    expect(log).toEqual([
      "RETR 1", "STORE appending u1", "APPEND Subject: one", "STORE appended u1", "DELE 1",
      "RETR 2", "STORE appending u2", "APPEND Subject: two", "STORE appended u2", "DELE 2",
      "QUIT", "FORGET u1", "FORGET u2",
    ]);
  });

  it("a failed APPEND stops the run without DELE or QUIT; the next run checks the folder before appending", async () => {
    const kv = fakeKv();
    imap.appendToFolder.mockImplementationOnce(async () => {
      log.push("APPEND (connection dropped)");
      throw new AppError("MAIL_SERVER_UNREACHABLE");
    });
    const broken = await fetchPop3Mailbox(options(kv));
    expect(broken.problem?.code).toBe("IMAP_MAIL_SERVER_UNREACHABLE");
    expect(log).toEqual(["RETR 1", "STORE appending u1", "APPEND (connection dropped)", "CLOSE"]);

    // The APPEND did reach the server before the drop: the folder has it, so it is not filed again.
    log.length = 0;
    imap.hasMessageWithId.mockResolvedValueOnce(true);
    const next = await fetchPop3Mailbox(options(kv));
    expect(next).toMatchObject({ fetched: 1, alreadyFetched: 1, deleted: 2, problem: null });
    expect(log).toEqual([
      "STORE appended u1", "DELE 1",
      "RETR 2", "STORE appending u2", "APPEND Subject: two", "STORE appended u2", "DELE 2",
      "QUIT", "FORGET u1", "FORGET u2",
    ]);
  });

  it("marks a message without a Message-ID before APPEND, and after a stop past APPEND finds it by that mark", async () => {
    const kv = fakeKv();
    const plain = Buffer.from("Subject: three\r\n\r\nno Message-ID here\r\n");
    mailbox.push({ uid: "u3", raw: plain });
    try {
      const appended: Buffer[] = [];
      imap.appendToFolder.mockImplementation(async (_account: unknown, _folder: string, raw: Buffer) => {
        appended.push(raw);
        log.push(`APPEND ${raw.toString().split("\r\n")[0]}`);
        return { uid: 1 };
      });
      // The process dies right after the IMAP server confirmed the third APPEND.
      const set = kv.set;
      kv.set = async <T>(key: string, value: T) => {
        if (key.endsWith(":u3") && (value as { state: string }).state === "appended") throw new Error("killed");
        return set(key, value);
      };
      const first = await fetchPop3Mailbox(options(kv));
      expect(first.problem).not.toBeNull();
      // Messages with a Message-ID go as they came; the one without gets the mark as its first line.
      expect(appended.slice(0, 2)).toEqual([mailbox[0]!.raw, mailbox[1]!.raw]);
      const marked = appended[2]!;
      expect(marked.subarray(marked.length - plain.length)).toEqual(plain);
      const mark = /^X-Letterbox-Pop3-UIDL: (u3; mailbox=[0-9a-f]{16})\r\n$/.exec(marked.subarray(0, marked.length - plain.length).toString())?.[1];
      expect(mark).toBeDefined();

      kv.set = set;
      log.length = 0;
      imap.hasMessageWithHeader.mockImplementation(async (...args: unknown[]) => {
        const [, , name, value, size] = args;
        return name === "X-Letterbox-Pop3-UIDL" && value === mark && size === marked.length;
      });
      const next = await fetchPop3Mailbox(options(kv));
      // Nothing appended again: the first two were recorded, the third is found by its mark.
      expect(next).toMatchObject({ fetched: 0, alreadyFetched: 3, deleted: 3, problem: null });
      expect(log).toEqual(["DELE 1", "DELE 2", "STORE appended u3", "DELE 3", "QUIT", "FORGET u1", "FORGET u2", "FORGET u3"]);
    } finally {
      mailbox.pop();
      imap.appendToFolder.mockReset().mockImplementation(async (_account: unknown, _folder: string, raw: Buffer) => {
        log.push(`APPEND ${raw.toString().split("\r\n")[0]}`);
        return { uid: 1 };
      });
    }
  });

  it("lets one run at a time fetch an account: a second, overlapping run reports BUSY and touches nothing", async () => {
    const kv = fakeKv();
    const leases = fakeLeases();
    const [first, second] = await Promise.all([fetchPop3Mailbox(options(kv, leases)), fetchPop3Mailbox(options(kv, leases))]);
    expect(first).toMatchObject({ fetched: 2, problem: null });
    expect(second).toMatchObject({ fetched: 0, problem: { code: "BUSY" } });
    expect(log.filter((l) => l.startsWith("APPEND"))).toHaveLength(2);
    // Released at the end: the next run may go.
    expect(await fetchPop3Mailbox(options(kv, leases))).toMatchObject({ problem: null });
  });

  it("stops at a message boundary when the worker shuts down, without QUIT", async () => {
    const controller = new AbortController();
    imap.appendToFolder.mockImplementationOnce(async () => {
      log.push("APPEND Subject: one");
      controller.abort();
      return { uid: 1 };
    });
    const report = await fetchPop3Mailbox({ ...options(fakeKv()), signal: controller.signal });
    expect(report).toMatchObject({ fetched: 1, deleted: 0, problem: { code: "STOPPED" } });
    expect(log).toEqual(["RETR 1", "STORE appending u1", "APPEND Subject: one", "STORE appended u1", "DELE 1", "CLOSE"]);
  });

  it("leaves a message the IMAP server refuses as too large on the server, named, and forgets it", async () => {
    imap.appendToFolder.mockImplementationOnce(async () => {
      throw new AppError("MESSAGE_TOO_LARGE");
    });
    const report = await fetchPop3Mailbox(options(fakeKv()));
    expect(report.tooLarge).toEqual([{ uid: "u1", size: mailbox[0]!.raw.length, subject: "one" }]);
    expect(log).not.toContain("DELE 1");
    expect(log).toContain("FORGET u1");
    expect(log.at(-2)).toBe("QUIT");
  });
});
