import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { connectPop3 } from "./client";
import { Pop3Error } from "./errors";
import { parseStatusLine } from "./connection";
import { parseListListing } from "./list";
import { parseUidlListing } from "./uidl";

// A scripted fake POP3 server on loopback: unit tests of the framing only. The real protocol is
// tested against Dovecot in tests/integration/pop3-client.test.ts.
type Script = (line: string, socket: net.Socket) => void;
const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function fakeServer(script: Script, greeting = "+OK fake ready\r\n"): Promise<{ port: number; lines: string[] }> {
  const lines: string[] = [];
  const server = net.createServer((socket) => {
    socket.write(greeting);
    let buffered = "";
    socket.on("data", (data) => {
      buffered += data.toString("utf8");
      let i;
      while ((i = buffered.indexOf("\r\n")) >= 0) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 2);
        lines.push(line);
        script(line, socket);
      }
    });
    socket.on("error", () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, lines };
}

/** Writes bytes a few at a time, as a slow network would. */
function dribble(socket: net.Socket, text: string, size = 3): void {
  for (let i = 0; i < text.length; i += size) socket.write(text.slice(i, i + size));
}

const basics: Script = (line, socket) => {
  if (line === "CAPA") dribble(socket, "+OK\r\nUSER\r\nUIDL\r\nSASL PLAIN LOGIN\r\n.\r\n");
  else if (line.startsWith("AUTH PLAIN ")) {
    const decoded = Buffer.from(line.slice(11), "base64").toString("utf8");
    socket.write(decoded === "\0dave@example.test\0secret" ? "+OK Logged in.\r\n" : "-ERR [AUTH] Authentication failed.\r\n");
  } else if (line === "UIDL") dribble(socket, "+OK\r\n1 aaa\r\n2 bbb\r\n.\r\n");
  else if (line === "LIST") dribble(socket, "+OK 2 messages:\r\n1 20\r\n2 5000\r\n.\r\n");
  else if (line === "RETR 1") dribble(socket, "+OK 20 octets\r\nSubject: x\r\n\r\n..dot\r\n.\r\n", 2);
  else if (line === "RETR 2") socket.end("+OK 5000 octets\r\nSubject: cut\r\n\r\nhalf a mess"); // drops mid-RETR
  else if (line === "DELE 1") socket.write("+OK Marked to be deleted.\r\n");
  else if (line === "QUIT") socket.end("+OK Logging out, messages deleted.\r\n");
  else socket.write("-ERR Unknown command.\r\n");
};

const options = { host: "127.0.0.1", security: "none" as const, login: "dave@example.test", password: "secret", timeoutMs: 5000 };

describe("POP3 framing against a scripted server", () => {
  it("logs in with SASL PLAIN, lists, retrieves dot-unstuffed, deletes and quits", async () => {
    const { port, lines } = await fakeServer(basics);
    const session = await connectPop3({ ...options, port });
    expect(await session.listUniqueIds()).toEqual([
      { number: 1, uid: "aaa" },
      { number: 2, uid: "bbb" },
    ]);
    expect(await session.listSizes()).toEqual([
      { number: 1, size: 20 },
      { number: 2, size: 5000 },
    ]);
    const body = await session.retrieve(1, { expectedSize: 20, maxBytes: 1000 });
    expect(body.toString()).toBe("Subject: x\r\n\r\n.dot\r\n");
    await session.markDeleted(1);
    await session.quit();
    expect(lines.filter((l) => !l.startsWith("AUTH"))).toEqual(["CAPA", "CAPA", "UIDL", "LIST", "RETR 1", "DELE 1", "QUIT"]);
  });

  it("says CONNECTION_LOST when the server drops in the middle of RETR", async () => {
    const { port } = await fakeServer(basics);
    const session = await connectPop3({ ...options, port });
    await expect(session.retrieve(2, { expectedSize: 5000, maxBytes: 10_000 })).rejects.toMatchObject({ code: "CONNECTION_LOST" });
    expect(session.usable).toBe(false);
  });

  it("maps a refused password to AUTH_FAILED with the server's words, and never echoes the password", async () => {
    const { port } = await fakeServer(basics);
    const error = await connectPop3({ ...options, port, password: "wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3Error);
    expect(error).toMatchObject({ code: "AUTH_FAILED", serverText: "Authentication failed." });
    expect(String((error as Error).message)).not.toContain("wrong");
  });

  it("refuses STARTTLS when the server does not offer STLS, before sending the password", async () => {
    const { port, lines } = await fakeServer(basics);
    await expect(connectPop3({ ...options, port, security: "starttls" })).rejects.toMatchObject({ code: "TLS_UNAVAILABLE" });
    expect(lines.some((l) => l.startsWith("AUTH") || l.startsWith("PASS"))).toBe(false);
  });

  it("falls back to USER/PASS on a server without CAPA, and reads a -ERR greeting as refused", async () => {
    const { port, lines } = await fakeServer((line, socket) => {
      if (line.startsWith("USER ") || line.startsWith("PASS ")) socket.write("+OK\r\n");
      else socket.write("-ERR no such command\r\n");
    });
    const session = await connectPop3({ ...options, port });
    session.close();
    expect(lines).toEqual(["CAPA", "USER dave@example.test", "PASS secret", "CAPA"]);
    const busy = await fakeServer(() => undefined, "-ERR [SYS/TEMP] too many connections\r\n");
    await expect(connectPop3({ ...options, port: busy.port })).rejects.toMatchObject({ code: "REFUSED", serverText: "too many connections" });
  });

  it("refuses a line break inside a login, so no second command can be smuggled", async () => {
    const { port, lines } = await fakeServer((line, socket) => socket.write(line === "CAPA" ? "+OK\r\nUSER\r\n.\r\n" : "+OK\r\n"));
    await expect(connectPop3({ ...options, port, login: "dave\r\nDELE 1" })).rejects.toThrow(/line break/);
    expect(lines).not.toContain("DELE 1");
  });

  it("says UNREACHABLE for a port nobody listens on", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await expect(connectPop3({ ...options, port })).rejects.toMatchObject({ code: "UNREACHABLE" });
  });
});

describe("POP3 response parsing", () => {
  it("reads status lines with RFC 2449 extended response codes", () => {
    expect(parseStatusLine("+OK 2 messages")).toEqual({ ok: true, text: "2 messages" });
    expect(parseStatusLine("-ERR [IN-USE] Mailbox locked")).toEqual({ ok: false, code: "IN-USE", text: "Mailbox locked" });
    expect(() => parseStatusLine("* OK IMAP")).toThrow(Pop3Error);
  });

  it("reads UIDL and LIST listings and refuses malformed lines", () => {
    expect(parseUidlListing("1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n")).toEqual([
      { number: 1, uid: "whqtswO00WBw418f9t5JxYwZ" },
      { number: 2, uid: "QhdPYR:00WBw1Ph7x7" },
    ]);
    expect(parseListListing("1 120\r\n2 200 extra\r\n")).toEqual([
      { number: 1, size: 120 },
      { number: 2, size: 200 },
    ]);
    expect(() => parseUidlListing("1 has space inside\r\n")).toThrow(Pop3Error);
  });
});
