// npm run load -- --users N [--duration S]: N simulated users against one built instance of the
// app and the local mail stack (scripts/load.sh starts both). Each signs in, then browses pages,
// opens messages, flags, moves and sends at human-like intervals with jitter, and signs out.
// Bounded: at most 500 users and 600 s; every request goes to 127.0.0.1.
// Prints per-operation p50/p95/p99, errors, IMAP connections per user (doveadm who), the app's RSS
// over time and after sign-out, and the store's size.
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync, readlinkSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { ImapFlow } from "imapflow";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(" ")
    .split(/--/)
    .filter(Boolean)
    .map((a) => a.trim().split(/\s+/)),
);
const USERS = Math.min(Number(args.users ?? 10), 500);
const DURATION_S = Math.min(Number(args.duration ?? 60), 600);
const PORT = Number(process.env.LOAD_APP_PORT ?? 3190);
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = process.env.LETTERBOX_DATA_DIR;
const MESSAGES_PER_USER = 30;
const THINK_MS = [1500, 4500];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const jitter = ([lo, hi]) => lo + Math.random() * (hi - lo);
const pick = (list) => list[Math.floor(Math.random() * list.length)];

// --- measurements -------------------------------------------------------------------------------
const timings = new Map();
const errors = new Map();
function record(op, ms, ok, detail) {
  if (!timings.has(op)) timings.set(op, []);
  timings.get(op).push(ms);
  if (!ok) {
    const key = `${op}: ${detail}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
}
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);

function pidListeningOn(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === "0A" && cols[9]) inodes.add(cols[9]);
    }
  }
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let fds = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode && inodes.has(inode)) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}
const rssMb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  } catch {
    return NaN;
  }
};
function imapConnectionsPerUser() {
  // `doveadm who -1`: one line per connection (user, service, pid, ip).
  const doveadm = (process.env.MAIL_DOVEADM ?? "doveadm").split(" ");
  const out = execFileSync(doveadm[0], [...doveadm.slice(1), "who", "-1"], { encoding: "utf8" });
  const perUser = new Map();
  for (const line of out.split("\n").slice(1)) {
    const [user, proto] = line.trim().split(/\s+/);
    if (user?.startsWith("load") && proto === "imap") perUser.set(user, (perUser.get(user) ?? 0) + 1);
  }
  return perUser;
}
function storeBytes() {
  if (!DATA_DIR) return 0;
  let total = 0;
  for (const s of ["", "-wal", "-shm"]) total += statSync(path.join(DATA_DIR, `letterbox.sqlite${s}`), { throwIfNoEntry: false })?.size ?? 0;
  return total;
}

/**
 * LOAD_HEAP_SNAPSHOTS=1 (with NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2, as scripts/load.sh sets):
 * V8 writes a heap snapshot on SIGUSR2 after a full GC, so the sum of its objects is the live heap —
 * which tells memory the app retains from memory V8 and the allocator merely keep. Null otherwise.
 */
async function heapSnapshotMb(pid) {
  if (process.env.LOAD_HEAP_SNAPSHOTS !== "1") return null;
  const snapshots = () => readdirSync(process.cwd()).filter((f) => f.endsWith(".heapsnapshot"));
  const before = new Set(snapshots());
  process.kill(pid, "SIGUSR2");
  let file;
  for (let i = 0; i < 240 && !file; i++) {
    await sleep(500);
    file = snapshots().find((f) => !before.has(f));
  }
  if (!file) return null;
  // Written in pieces: read it once its size has stopped changing.
  let size = -1;
  for (let i = 0; i < 240; i++) {
    await sleep(500);
    const now = statSync(file).size;
    if (now > 0 && now === size) break;
    size = now;
  }
  const snap = JSON.parse(readFileSync(file, "utf8"));
  const fields = snap.snapshot.meta.node_fields;
  const self = fields.indexOf("self_size");
  let total = 0;
  for (let i = self; i < snap.nodes.length; i += fields.length) total += snap.nodes[i];
  rmSync(file);
  return (total / 1048576).toFixed(0);
}

// --- seeding ------------------------------------------------------------------------------------
async function seedMailbox(n) {
  const url = new URL(process.env.MAIL_IMAP_URL);
  const client = new ImapFlow({
    host: url.hostname,
    port: Number(url.port),
    secure: false,
    auth: { user: `load${n}@example.test`, pass: "load-password" },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const status = await client.status("INBOX", { messages: true });
    for (let i = status.messages; i < MESSAGES_PER_USER; i++) {
      const from = `Sender ${i % 7} <sender${i % 7}@example.org>`;
      const raw = `From: ${from}\r\nTo: load${n}@example.test\r\nSubject: Load message ${i}\r\nMessage-ID: <load-${n}-${i}@example.org>\r\nDate: ${new Date(Date.now() - i * 3600_000).toUTCString()}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello ${n}, this is message ${i}.</p>${"<p>Some more text to read.</p>".repeat(20)}\r\n`;
      await client.append("INBOX", raw);
    }
    await client.mailboxCreate("Archive").catch(() => undefined);
  } finally {
    await client.logout();
  }
}

// --- one simulated user -------------------------------------------------------------------------
class Session {
  constructor(n) {
    this.n = n;
    this.login = `load${n}@example.test`;
    this.cookies = new Map();
  }
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async request(op, method, url, body, { form = false } = {}) {
    const headers = { cookie: this.cookieHeader(), origin: BASE };
    if (body !== undefined) headers["content-type"] = form ? "application/x-www-form-urlencoded" : "application/json";
    const started = performance.now();
    let res;
    try {
      res = await fetch(BASE + url, {
        method,
        headers,
        body: body === undefined ? undefined : form ? new URLSearchParams(body).toString() : JSON.stringify(body),
        redirect: "manual",
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      record(op, performance.now() - started, false, error.name);
      return null;
    }
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const text = await res.text();
    const ok = res.status < 400;
    record(op, performance.now() - started, ok, `HTTP ${res.status} ${ok ? "" : text.slice(0, 120)}`);
    if (!ok) return null;
    try {
      return JSON.parse(text);
    } catch {
      return {};
    }
  }
  async signIn() {
    const { csrfToken } = (await this.request("sign-in", "GET", "/api/auth/csrf")) ?? {};
    await this.request("sign-in", "POST", "/api/auth/callback/credentials", { csrfToken, email: this.login, password: "load-password", json: "true" }, { form: true });
    return [...this.cookies.keys()].some((k) => k.includes("session-token"));
  }
  async signOut() {
    const { csrfToken } = (await this.request("sign-out", "GET", "/api/auth/csrf")) ?? {};
    await this.request("sign-out", "POST", "/api/auth/signout", { csrfToken, json: "true" }, { form: true });
  }
  async run(until) {
    if (!(await this.signIn())) return;
    let page = await this.request("list", "GET", "/api/messages?folder=INBOX&page=0");
    while (Date.now() < until) {
      await sleep(jitter(THINK_MS));
      if (Date.now() >= until) break;
      const r = Math.random();
      const messages = page?.messages ?? [];
      const uidValidity = page?.uidValidity;
      const m = messages.length ? pick(messages) : null;
      if (r < 0.3 || !m) {
        page = (await this.request("list", "GET", `/api/messages?folder=INBOX&page=${Math.random() < 0.8 ? 0 : 1}&pageSize=20`)) ?? page;
      } else if (r < 0.65) {
        const q = `folder=INBOX&uidValidity=${uidValidity}`;
        await this.request("open", "GET", `/api/messages/${m.uid}?${q}`);
      } else if (r < 0.8) {
        await this.request("flag", "POST", "/api/messages/actions", {
          folder: "INBOX",
          uidValidity,
          uids: [m.uid],
          action: { type: "flags", flagged: Math.random() < 0.5 },
        });
      } else if (r < 0.9) {
        // Archive one, then move it back, so the mailbox keeps its size through the run.
        const moved = await this.request("move", "POST", "/api/messages/actions", { folder: "INBOX", uidValidity, uids: [m.uid], action: { type: "archive" } });
        const pair = moved?.uidMap?.[0];
        if (pair && moved.destinationUidValidity) {
          await this.request("move", "POST", "/api/messages/actions", {
            folder: "Archive",
            uidValidity: moved.destinationUidValidity,
            uids: [pair[1]],
            action: { type: "move", destination: "INBOX" },
          });
        }
        page = null;
      } else {
        const to = `load${1 + ((this.n + 1) % USERS)}@example.test`;
        await this.request("send", "POST", "/api/send", {
          to: [{ name: "", address: to }],
          subject: `Load test from ${this.login}`,
          format: "html",
          body: "<p>Hello from the load test.</p>",
          idempotencyKey: randomUUID(),
        });
      }
      if (!page) page = await this.request("list", "GET", "/api/messages?folder=INBOX&page=0");
    }
    await this.signOut();
  }
}

// --- main ---------------------------------------------------------------------------------------
async function main() {
  console.log(`load: ${USERS} users for ${DURATION_S} s against ${BASE}`);
  const seedStarted = Date.now();
  for (let i = 1; i <= USERS; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, USERS - i + 1) }, (_, k) => seedMailbox(i + k)));
  }
  console.log(`load: mailboxes ready (${((Date.now() - seedStarted) / 1000).toFixed(1)} s)`);

  const app = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, AUTH_TRUST_HOST: "1", LOGIN_MAX_FAILURES: "1000" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // The app says when, idle after the users left, it collected its heap (lib/runtime): the run
  // waits for that line rather than for a fixed time before it measures memory again.
  let idleCollections = 0;
  app.stdout.on("data", (chunk) => {
    for (const line of chunk.toString().split("\n").filter((l) => l.includes("[letterbox] idle:"))) {
      idleCollections++;
      console.log(`load: app says ${line.replace("[letterbox] ", "")}`);
    }
  });
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${BASE}/login`).then((r) => r.ok, () => false)) break;
      if (i > 300) throw new Error("the app did not start");
      await sleep(200);
    }
    const pid = pidListeningOn(PORT);
    const heapAtStart = await heapSnapshotMb(pid);
    const rss = [{ t: 0, mb: rssMb(pid) }];
    const baseline = rss[0].mb;
    let maxPerUser = 0;
    let sumPerUserAtPeak = 0;
    let usersAtPeak = 0;
    const started = Date.now();
    const until = started + DURATION_S * 1000;
    const sampler = setInterval(() => {
      rss.push({ t: Math.round((Date.now() - started) / 1000), mb: rssMb(pid) });
      try {
        const per = imapConnectionsPerUser();
        for (const c of per.values()) maxPerUser = Math.max(maxPerUser, c);
        if (per.size >= usersAtPeak) {
          usersAtPeak = per.size;
          sumPerUserAtPeak = [...per.values()].reduce((a, b) => a + b, 0);
        }
      } catch {
        // doveadm unavailable: reported as n/a
      }
    }, 5000);
    // Users arrive over the first tenth of the run, not all in one millisecond.
    const ramp = Math.min(10_000, DURATION_S * 100);
    await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        await sleep((i / USERS) * ramp);
        await new Session(i + 1).run(until);
      }),
    );
    clearInterval(sampler);
    const afterSignOut = rssMb(pid);
    // Idle connections close after MAIL_IMAP_IDLE_MS (load.sh sets 10 s); then memory is measured again.
    let connectionsLeft = NaN;
    for (let i = 0; i < 30; i++) {
      await sleep(1000);
      try {
        connectionsLeft = [...imapConnectionsPerUser().values()].reduce((a, b) => a + b, 0);
      } catch {
        break;
      }
      if (connectionsLeft === 0) break;
    }
    const settled = rssMb(pid);
    const collectionsBefore = idleCollections;
    const idleGcS = Number(process.env.LETTERBOX_IDLE_GC_SECONDS ?? 30);
    const idleWaitStarted = Date.now();
    while (idleGcS > 0 && idleCollections === collectionsBefore && Date.now() - idleWaitStarted < (idleGcS + 30) * 1000) await sleep(250);
    const idleCollected = idleCollections > collectionsBefore ? `${rssMb(pid).toFixed(0)} (${((Date.now() - idleWaitStarted) / 1000).toFixed(0)} s later)` : "none seen";
    const heapAfter = await heapSnapshotMb(pid);
    const liveHeap = heapAfter ? `, live heap (snapshot) at start ${heapAtStart} MB and after ${heapAfter} MB, RSS then ${rssMb(pid).toFixed(0)}` : "";

    console.log(`\n## ${USERS} users, ${DURATION_S} s\n`);
    console.log("| operation | count | p50 ms | p95 ms | p99 ms | errors |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
    let totalErrors = 0;
    for (const [op, list] of [...timings].sort()) {
      const sorted = [...list].sort((a, b) => a - b);
      const errs = [...errors].filter(([k]) => k.startsWith(`${op}:`)).reduce((a, [, v]) => a + v, 0);
      totalErrors += errs;
      console.log(`| ${op} | ${list.length} | ${pct(sorted, 50).toFixed(0)} | ${pct(sorted, 95).toFixed(0)} | ${pct(sorted, 99).toFixed(0)} | ${errs} |`);
    }
    console.log(`\nerrors: ${totalErrors}`);
    for (const [k, v] of errors) console.log(`  ${v} × ${k}`);
    console.log(
      `IMAP connections per user: max ${maxPerUser}, mean at peak ${usersAtPeak ? (sumPerUserAtPeak / usersAtPeak).toFixed(2) : "n/a"} (${usersAtPeak} users connected); left after sign-out: ${connectionsLeft}`,
    );
    console.log(`app RSS (MB): baseline ${baseline.toFixed(0)}, peak ${Math.max(...rss.map((r) => r.mb)).toFixed(0)}, after sign-out ${afterSignOut.toFixed(0)}, after idle close ${settled.toFixed(0)}, after the idle collection ${idleCollected}${liveHeap}`);
    console.log(`RSS over time: ${rss.map((r) => `${r.t}s ${r.mb.toFixed(0)}`).join(", ")}`);
    console.log(`store size: ${(storeBytes() / 1024).toFixed(0)} KiB (SQLite file + WAL at ${DATA_DIR})`);
  } finally {
    app.kill("SIGTERM");
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
