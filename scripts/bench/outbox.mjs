// npm run bench, the outbox part: how long "Send" takes to reach the recipient's INBOX through the
// outbox (0 s undo window: the queue, the worker's wake-up, the submission, Postfix, Dovecot), beside
// the floor of submitting the same message directly with nodemailer and polling with imapflow; and
// what 1,000 scheduled messages cost while they wait (store size, the app's CPU per minute).
// Expects the mail stack running and its env exported (scripts/bench.sh does both).
import { mkdtempSync, readFileSync, rmSync, statSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import {
  BENCH_PORT,
  USER as ALICE,
  cookieHeader,
  imapClient as imapClientOf,
  median,
  signIn as signInAt,
  startApp,
  stopApp,
} from "./common.mjs";

const BOB = { login: "bob@example.test", password: "bob-password" };
const RUNS = Number(process.env.BENCH_OUTBOX_RUNS ?? 20);
const WAITING = Number(process.env.BENCH_OUTBOX_WAITING ?? 1000);
const IDLE_MS = Number(process.env.BENCH_OUTBOX_IDLE_MS ?? 60_000);
const PORT = Number(process.env.BENCH_OUTBOX_PORT ?? BENCH_PORT + 2);
const BASE = `http://127.0.0.1:${PORT}`;
const smtpUrl = new URL(process.env.MAIL_SMTP_URL);
const run = Date.now().toString(36);

const imapClient = (user) => imapClientOf(user);

// --- the app, with a store of its own -------------------------------------------------------------
const dataDir = mkdtempSync(path.join(os.tmpdir(), "letterbox-bench-outbox-"));
const app = await startApp(PORT, { LETTERBOX_DATA_DIR: dataDir, LETTERBOX_REDIS_URL: undefined });

let jar = new Map();
const cookie = () => cookieHeader(jar);
async function signIn() {
  jar = await signInAt(BASE, ALICE);
}
async function api(method, url, body) {
  const r = await fetch(`${BASE}${url}`, {
    method,
    headers: { Cookie: cookie(), Origin: BASE, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** A step of the bench's own IMAP client that gets no answer in 30 s fails the run, naming it. */
function within(promise, what) {
  let timer;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer in 30 s`)), 30_000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Waits until `subject` is in Bob's INBOX: NOOP every 10 ms, and the envelopes of messages that
 * arrived since the last look (by EXISTS, RFC 3501 §7.3.1); the same for both sides. Not SEARCH:
 * the stack's full-text index (fts-xapian) now and then answered a subject search without a
 * message that was there, and the run then waited forever.
 */
let lookedAt = 0;
async function arrival(bob, subject) {
  // A message that never comes fails the run with its name rather than leaving it polling forever.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`"${subject}" did not reach Bob's INBOX within 2 minutes`);
    await within(bob.noop(), "Bob's NOOP");
    const exists = bob.mailbox.exists;
    if (exists > lookedAt) {
      const arrived = await within(bob.fetchAll(`${lookedAt + 1}:${exists}`, { envelope: true }), "Bob's FETCH");
      lookedAt = exists;
      if (arrived.some((m) => m.envelope?.subject === subject)) return;
    }
    await sleep(10);
  }
}

/** CPU seconds (user + system) of a process and its children, from /proc. */
function cpuSeconds(pid) {
  let ticks = 0;
  const pids = [pid];
  while (pids.length) {
    const p = pids.pop();
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    } catch {}
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

const dirBytes = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isFile() ? statSync(path.join(dir, e.name)).size : 0), 0);

const message = (subject) => ({
  to: [{ name: "", address: BOB.login }],
  cc: [],
  bcc: [],
  subject,
  format: "html",
  body: "<p>Through the outbox.</p>",
  attachmentIds: [],
  idempotencyKey: randomUUID(),
  sendAt: null,
});

try {
  await signIn();
  await api("PUT", "/api/settings", { undoSendSeconds: 0 });
  const bob = imapClient(BOB);
  await bob.connect();
  const lock = await bob.getMailboxLock("INBOX");
  lookedAt = bob.mailbox.exists;
  const transport = nodemailer.createTransport({
    host: smtpUrl.hostname,
    port: Number(smtpUrl.port),
    secure: smtpUrl.protocol === "smtps:",
    auth: { user: ALICE.login, pass: ALICE.password },
    tls: { rejectUnauthorized: false },
  });
  try {
    // Send → INBOX through the outbox: queued by the route, submitted by the app's worker.
    const outboxTimes = [];
    for (let i = 0; i <= RUNS; i++) {
      const subject = `Bench outbox ${run} #${i}`;
      const t0 = performance.now();
      await api("POST", "/api/outbox", message(subject));
      await arrival(bob, subject);
      if (i > 0) outboxTimes.push(performance.now() - t0); // #0 is the warm-up
    }
    // The floor: the same kind of message built and submitted directly, then the same poll.
    const floorTimes = [];
    for (let i = 0; i <= RUNS; i++) {
      const subject = `Bench outbox floor ${run} #${i}`;
      const t0 = performance.now();
      const raw = await new MailComposer({ from: ALICE.login, to: BOB.login, subject, html: "<p>Through the outbox.</p>", text: "Through the outbox." })
        .compile()
        .build();
      await transport.sendMail({ envelope: { from: ALICE.login, to: [BOB.login] }, raw });
      await arrival(bob, subject);
      if (i > 0) floorTimes.push(performance.now() - t0);
    }

    // 1,000 scheduled messages waiting a day: what the store holds and what the worker spends,
    // beside the same app idle with an empty outbox (measured first).
    const idleCpu = async () => {
      const c0 = cpuSeconds(app.pid);
      await sleep(IDLE_MS);
      return ((cpuSeconds(app.pid) - c0) * 60_000) / IDLE_MS;
    };
    const cpuWithout = await idleCpu();
    const before = dirBytes(dataDir);
    const tomorrow = Date.now() + 24 * 60 * 60_000;
    for (let i = 0; i < WAITING; i++) await api("POST", "/api/outbox", { ...message(`Bench waiting ${run} #${i}`), sendAt: tomorrow + i });
    await sleep(2_000); // let the queue's writes settle into the WAL before measuring
    const grown = dirBytes(dataDir) - before;
    const cpuWith = await idleCpu();
    // Taken back (to Drafts, removed below), so nothing is sent tomorrow.
    const { items } = await api("GET", "/api/outbox");
    for (const item of items) await api("POST", `/api/outbox/${item.id}/cancel`, {});

    const ms = (v) => `${v.toFixed(0)} ms`;
    console.log(`\nOutbox — medians of ${RUNS} sends (after one warm-up), to the recipient's INBOX\n`);
    console.log("operation".padEnd(40) + "outbox".padStart(12) + "nodemailer floor".padStart(18) + "ratio".padStart(9));
    const a = median(outboxTimes);
    const f = median(floorTimes);
    console.log("Send (0 s window) → recipient's INBOX".padEnd(40) + ms(a).padStart(12) + ms(f).padStart(18) + `${(a / f).toFixed(2)}×`.padStart(9));
    console.log(`  (outbox: min ${ms(Math.min(...outboxTimes))}, max ${ms(Math.max(...outboxTimes))}; the enqueue wakes the worker, which otherwise looks for due jobs once a second)`);
    console.log(`\n${WAITING.toLocaleString()} scheduled messages waiting:`);
    console.log(`  store growth (SQLite file with WAL): ${(grown / 1024).toFixed(0)} KiB, ${(grown / WAITING).toFixed(0)} bytes a message`);
    console.log(
      `  app CPU per minute, idle: ${cpuWith.toFixed(2)} s with them, ${cpuWithout.toFixed(2)} s with an empty outbox` +
        (cpuWithout > 0 ? ` (${(cpuWith / cpuWithout).toFixed(2)}×)` : ""),
    );
  } finally {
    transport.close();
    // Bob's copies would pile up run after run: remove them; Alice's Sent copies and the returned drafts too.
    const uids = (await bob.search({ subject: `Bench outbox` }, { uid: true })) || [];
    if (uids.length) await bob.messageDelete(uids, { uid: true });
    lock.release();
    await bob.logout();
    const alice = imapClient(ALICE);
    await alice.connect();
    for (const [folder, subject] of [["Sent", "Bench outbox"], ["Drafts", "Bench waiting"]]) {
      const l = await alice.getMailboxLock(folder);
      try {
        const found = (await alice.search({ subject }, { uid: true })) || [];
        if (found.length) await alice.messageDelete(found, { uid: true });
      } finally {
        l.release();
      }
    }
    await alice.logout();
  }
} finally {
  await stopApp(app);
  rmSync(dataDir, { recursive: true, force: true });
}
