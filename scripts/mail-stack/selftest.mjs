#!/usr/bin/env node
// Checks a running mail stack over raw sockets (no npm packages): IMAP STARTTLS, LOGIN, LIST with
// special-use folders, STATUS, wrong passwords (and how fast a right one works after them), and
// submission: EHLO extensions, STARTTLS, AUTH PLAIN, delivery to another user, a rejected unknown
// recipient, no relaying without AUTH, and mail to other domains delivered to the catch-all.
// Run: bash scripts/mail-stack/mail-stack.sh selftest   (it passes the ports; the stack must run)
import net from "node:net";
import tls from "node:tls";
import { randomBytes } from "node:crypto";

const IMAP_PORT = Number(process.env.MAIL_IMAP_PORT ?? 14143);
const SMTP_PORT = Number(process.env.MAIL_SMTP_PORT ?? 14587);
const TEST_MODE = process.env.MAIL_TEST_MODE === "1";
const HOST = "127.0.0.1";
const ALICE = ["alice@example.test", "alice-password"];
const BOB = ["bob@example.test", "bob-password"];
const OUTSIDE = ["outside@example.test", "outside-password"];

// --- line-oriented connections -----------------------------------------------------------------

function reader(sock) {
  let buf = "";
  const lines = [];
  let wake = null;
  let closed = false;
  const onData = (d) => {
    buf += d.toString("latin1");
    let i;
    while ((i = buf.indexOf("\r\n")) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 2);
    }
    wake?.();
  };
  sock.on("data", onData);
  sock.on("close", () => {
    closed = true;
    wake?.();
  });
  sock.on("error", () => undefined);
  return {
    async line(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (!lines.length) {
        if (closed) throw new Error("connection closed");
        if (Date.now() > until) throw new Error("timed out waiting for the server");
        await new Promise((res) => {
          wake = res;
          setTimeout(res, 50);
        });
        wake = null;
      }
      return lines.shift();
    },
    detach: () => sock.off("data", onData),
  };
}

async function connect(port) {
  const sock = net.connect(port, HOST);
  await new Promise((res, rej) => sock.once("connect", res).once("error", rej));
  return sock;
}

async function startTls(sock) {
  const secure = tls.connect({ socket: sock, servername: "mail.example.test", rejectUnauthorized: false });
  await new Promise((res, rej) => secure.once("secureConnect", res).once("error", rej));
  return secure;
}

class Imap {
  static async open(port = IMAP_PORT) {
    const c = new Imap();
    c.sock = await connect(port);
    c.r = reader(c.sock);
    c.greeting = await c.r.line();
    c.n = 0;
    return c;
  }
  async cmd(text) {
    const tag = `T${++this.n}`;
    this.sock.write(`${tag} ${text}\r\n`);
    const untagged = [];
    for (;;) {
      const line = await this.r.line();
      if (line.startsWith(`${tag} `)) return { ok: line.startsWith(`${tag} OK`), line, untagged };
      untagged.push(line);
    }
  }
  async starttls() {
    const res = await this.cmd("STARTTLS");
    if (!res.ok) throw new Error(res.line);
    this.r.detach();
    this.sock = await startTls(this.sock);
    this.r = reader(this.sock);
  }
  close() {
    this.sock.destroy();
  }
}

class Smtp {
  static async open(port = SMTP_PORT) {
    const c = new Smtp();
    c.sock = await connect(port);
    c.r = reader(c.sock);
    c.greeting = await c.reply();
    return c;
  }
  async reply() {
    const lines = [];
    for (;;) {
      const line = await this.r.line();
      lines.push(line);
      if (line[3] !== "-") return { code: Number(line.slice(0, 3)), lines, text: lines.join("\n") };
    }
  }
  async cmd(text) {
    this.sock.write(text + "\r\n");
    return this.reply();
  }
  async starttls() {
    const res = await this.cmd("STARTTLS");
    if (res.code !== 220) throw new Error(res.text);
    this.r.detach();
    this.sock = await startTls(this.sock);
    this.r = reader(this.sock);
  }
  close() {
    this.sock.destroy();
  }
}

const quote = (s) => `"${s.replace(/(["\\])/g, "\\$1")}"`;

// --- checks ------------------------------------------------------------------------------------

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    const note = await fn();
    passed++;
    console.log(`ok   ${name}${note ? ` — ${note}` : ""}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

await check("IMAP greeting offers STARTTLS on 127.0.0.1:" + IMAP_PORT, async () => {
  const c = await Imap.open();
  c.close();
  assert(c.greeting.startsWith("* OK") && c.greeting.includes("STARTTLS"), c.greeting);
});

await check("IMAP STARTTLS, LOGIN alice, LIST with special-use and nested folders, STATUS", async () => {
  const c = await Imap.open();
  await c.starttls();
  const login = await c.cmd(`LOGIN ${quote(ALICE[0])} ${quote(ALICE[1])}`);
  assert(login.ok, login.line);
  const caps = login.line + (await c.cmd("CAPABILITY")).untagged.join(" ");
  for (const cap of ["SPECIAL-USE", "LIST-STATUS", "MOVE", "UIDPLUS"])
    assert(caps.includes(cap), `no ${cap} in ${caps}`);
  const list = await c.cmd('LIST "" "*"');
  const all = list.untagged.join("\n");
  for (const use of ["\\Drafts", "\\Sent", "\\Trash", "\\Junk", "\\Archive"])
    assert(all.includes(use), `LIST lacks ${use}:\n${all}`);
  assert(
    list.untagged.some((l) => l.includes('"/"')),
    "separator is not /",
  );
  for (const name of ["Projects/Letterbox", "Receipts", "Reisen/K&APY-ln"])
    assert(all.includes(name), `LIST lacks ${name}:\n${all}`);
  const status = await c.cmd("STATUS INBOX (MESSAGES UNSEEN UIDNEXT)");
  assert(status.ok, status.line);
  await c.cmd("LOGOUT");
  c.close();
  return status.untagged.join(" ");
});

await check("IMAP LOGIN without TLS works on loopback", async () => {
  const c = await Imap.open();
  const login = await c.cmd(`LOGIN ${quote(BOB[0])} ${quote(BOB[1])}`);
  c.close();
  assert(login.ok, login.line);
});

await check(
  `wrong password fails, then the right one works${TEST_MODE ? " at once (test mode)" : ""}`,
  async () => {
    const t0 = performance.now();
    const bad = await Imap.open();
    const wrong = await bad.cmd(`LOGIN ${quote(ALICE[0])} "not-the-password"`);
    bad.close();
    assert(!wrong.ok && /AUTHENTICATIONFAILED|NO/.test(wrong.line), `wrong password accepted: ${wrong.line}`);
    const tWrong = performance.now() - t0;
    const unknown = await Imap.open();
    const nobody = await unknown.cmd('LOGIN "nobody@example.test" "x"');
    unknown.close();
    assert(!nobody.ok, `unknown user accepted: ${nobody.line}`);
    const t1 = performance.now();
    const good = await Imap.open();
    const right = await good.cmd(`LOGIN ${quote(ALICE[0])} ${quote(ALICE[1])}`);
    good.close();
    const tRight = performance.now() - t1;
    assert(right.ok, right.line);
    const total = performance.now() - t0;
    if (TEST_MODE)
      assert(
        total < 1000,
        `wrong + unknown + right login took ${total.toFixed(0)} ms (auth delay not disabled?)`,
      );
    return `wrong ${tWrong.toFixed(0)} ms, right after it ${tRight.toFixed(0)} ms, all three ${total.toFixed(0)} ms`;
  },
);

await check("submission EHLO offers AUTH, STARTTLS and SIZE 157286400", async () => {
  const c = await Smtp.open();
  assert(c.greeting.code === 220, c.greeting.text);
  const ehlo = await c.cmd("EHLO selftest.example.test");
  await c.cmd("QUIT");
  c.close();
  for (const ext of ["STARTTLS", "AUTH", "SIZE 157286400"])
    assert(ehlo.text.includes(ext), `no ${ext}:\n${ehlo.text}`);
  assert(/AUTH.*PLAIN/.test(ehlo.text) && /AUTH.*LOGIN/.test(ehlo.text), ehlo.text);
});

await check("no relaying and no local delivery without AUTH", async () => {
  const c = await Smtp.open();
  await c.cmd("EHLO selftest.example.test");
  await c.cmd(`MAIL FROM:<someone@example.org>`);
  const local = await c.cmd(`RCPT TO:<${BOB[0]}>`);
  const remote = await c.cmd(`RCPT TO:<someone@example.org>`);
  await c.cmd("QUIT");
  c.close();
  assert(local.code >= 500, `unauthenticated RCPT to bob: ${local.text}`);
  assert(remote.code >= 500, `unauthenticated relay: ${remote.text}`);
  return `${local.lines[0]} / ${remote.lines[0]}`;
});

const token = randomBytes(6).toString("hex");
await check("STARTTLS + AUTH PLAIN as alice, unknown recipient rejected, mail to bob accepted", async () => {
  const c = await Smtp.open();
  await c.cmd("EHLO selftest.example.test");
  await c.starttls();
  const ehlo = await c.cmd("EHLO selftest.example.test");
  assert(ehlo.text.includes("AUTH"), ehlo.text);
  const auth = await c.cmd(`AUTH PLAIN ${Buffer.from(`\0${ALICE[0]}\0${ALICE[1]}`).toString("base64")}`);
  assert(auth.code === 235, auth.text);
  const from = await c.cmd(`MAIL FROM:<${ALICE[0]}> SIZE=1000`);
  assert(from.code === 250, from.text);
  const unknown = await c.cmd("RCPT TO:<nobody@example.test>");
  assert(unknown.code >= 500 && unknown.code < 600, `RCPT nobody@example.test: ${unknown.text}`);
  const rcpt = await c.cmd(`RCPT TO:<${BOB[0]}>`);
  assert(rcpt.code === 250, rcpt.text);
  const elsewhere = await c.cmd("RCPT TO:<someone@example.org>");
  assert(elsewhere.code === 250, `RCPT someone@example.org (the catch-all takes it): ${elsewhere.text}`);
  const data = await c.cmd("DATA");
  assert(data.code === 354, data.text);
  const msg = [
    `From: Alice Example <${ALICE[0]}>`,
    `To: Bob Builder <${BOB[0]}>`,
    `Subject: selftest ${token}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <selftest.${token}@example.test>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Sent by scripts/mail-stack/selftest.mjs.",
    ".",
  ].join("\r\n");
  const sent = await c.cmd(msg);
  assert(sent.code === 250, sent.text);
  await c.cmd("QUIT");
  c.close();
  return `nobody@: "${unknown.lines[0]}"`;
});

async function waitInInbox(user) {
  const c = await Imap.open();
  const login = await c.cmd(`LOGIN ${quote(user[0])} ${quote(user[1])}`);
  assert(login.ok, login.line);
  const t0 = performance.now();
  for (;;) {
    await c.cmd("SELECT INBOX");
    const found = await c.cmd(`UID SEARCH SUBJECT "selftest ${token}"`);
    const hit = found.untagged.find((l) => /^\* SEARCH \d/.test(l));
    if (hit) {
      await c.cmd("LOGOUT");
      c.close();
      return `after ${(performance.now() - t0).toFixed(0)} ms (${hit})`;
    }
    if (performance.now() - t0 > 15_000) throw new Error("not delivered within 15 s");
    await new Promise((res) => setTimeout(res, 200));
  }
}

await check("the message reaches bob's INBOX (Postfix → LMTP → Dovecot)", () => waitInInbox(BOB));
await check("the copy for someone@example.org reaches the catch-all, outside@example.test", () => waitInInbox(OUTSIDE));

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
