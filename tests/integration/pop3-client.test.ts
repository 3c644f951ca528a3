import net from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { connectPop3, type Pop3ConnectOptions } from "@/lib/mail/pop3";
import { appendToInbox, dave, emptyInbox, pop3Ports, readFolder, testMessage } from "./pop3-support";

// The POP3 client against the real Dovecot POP3 server of the test stack (scripts/mail-stack).
const { host, pop3, pop3s } = pop3Ports();
const base: Pop3ConnectOptions = { host, port: pop3, security: "starttls", ...dave, tlsInsecure: true, timeoutMs: 10_000 };

describe("POP3 client against Dovecot", () => {
  beforeAll(async () => {
    await emptyInbox(dave);
    await appendToInbox(dave, [testMessage("POP3 one"), testMessage("POP3 two"), testMessage("POP3 three")]);
  });

  it("upgrades with STLS, logs in, and lists unique ids and sizes", async () => {
    const session = await connectPop3(base);
    try {
      expect(session.capabilities?.has("UIDL")).toBe(true);
      const ids = await session.listUniqueIds();
      const sizes = await session.listSizes();
      expect(ids.map((i) => i.number)).toEqual([1, 2, 3]);
      expect(new Set(ids.map((i) => i.uid)).size).toBe(3);
      expect(sizes.map((s) => s.number)).toEqual([1, 2, 3]);
    } finally {
      await session.quit();
    }
  });

  it("retrieves every message byte-identical to what IMAP serves, lone dots and all", async () => {
    const imap = await readFolder(dave, "INBOX");
    const session = await connectPop3({ ...base, port: pop3s, security: "tls" });
    try {
      const sizes = await session.listSizes();
      for (const { number, size } of sizes) {
        const raw = await session.retrieve(number, { expectedSize: size, maxBytes: size * 2 });
        expect(raw.length).toBe(size);
        expect(raw.equals(imap[number - 1]!.raw)).toBe(true);
      }
    } finally {
      await session.quit();
    }
  });

  it("deletes only at QUIT: a dropped connection after DELE keeps the message", async () => {
    const dropped = await connectPop3(base);
    await dropped.markDeleted(1);
    dropped.close();
    const again = await connectPop3(base);
    expect((await again.listUniqueIds()).length).toBe(3);
    const first = (await again.listUniqueIds())[0]!.uid;
    await again.markDeleted(1);
    await again.quit();
    const after = await connectPop3(base);
    const ids = await after.listUniqueIds();
    await after.quit();
    expect(ids.length).toBe(2);
    expect(ids.map((i) => i.uid)).not.toContain(first);
    // The server renumbered: what was message 2 is message 1 now, with the same unique id.
    expect(ids[0]!.number).toBe(1);
  });

  it("says AUTH_FAILED for a wrong password, with the server's own words", async () => {
    await expect(connectPop3({ ...base, password: "not-daves-password" })).rejects.toMatchObject({
      code: "AUTH_FAILED",
      serverText: expect.stringMatching(/authentication failed/i),
    });
  });

  it("says TLS_CERTIFICATE when the certificate does not verify (the stack's is self-signed)", async () => {
    await expect(connectPop3({ ...base, tlsInsecure: false })).rejects.toMatchObject({ code: "TLS_CERTIFICATE" });
    await expect(connectPop3({ ...base, port: pop3s, security: "tls", tlsInsecure: false })).rejects.toMatchObject({
      code: "TLS_CERTIFICATE",
    });
  });

  it("says UNREACHABLE for a port nobody listens on", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await expect(connectPop3({ ...base, port })).rejects.toMatchObject({ code: "UNREACHABLE" });
  });

  it("says REFUSED with the server's text for a command it refuses", async () => {
    const session = await connectPop3(base);
    try {
      await expect(session.retrieve(999, { expectedSize: 10, maxBytes: 100 })).rejects.toMatchObject({
        code: "REFUSED",
        serverText: expect.stringMatching(/no message 999/i),
      });
    } finally {
      await session.quit();
    }
  });
});
