// npm run bench: the app's HTTP routes against the floor of doing the same directly over IMAP with
// imapflow, on a 100,000-message folder. Medians of several runs, measured in one go; the ratio is
// app ÷ floor. Expects the mail stack running and its env exported (scripts/bench.sh does both).
import { spawn, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes, randomUUID } from "node:crypto";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { benchLiveUpdates } from "./live.mjs";

const USER = { login: "alice@example.test", password: "alice-password" };
const FOLDER = "Bench";
const COUNT = Number(process.env.BENCH_MESSAGES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PORT = Number(process.env.BENCH_PORT ?? 3400);
const BASE = `http://127.0.0.1:${PORT}`;
const imapUrl = new URL(process.env.MAIL_IMAP_URL);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function timeRuns(fn, runs = RUNS) {
  await fn(); // warm-up: first-use costs (JIT, route compilation, connection) are not what we compare
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function imapClient() {
  const client = new ImapFlow({
    host: imapUrl.hostname,
    port: Number(imapUrl.port),
    secure: imapUrl.protocol === "imaps:",
    auth: { user: USER.login, pass: USER.password },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
  client.on("error", () => undefined);
  return client;
}

function stack(...args) {
  return execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", ...args], { stdio: "inherit" });
}

async function ensureFolder() {
  const client = imapClient();
  await client.connect();
  const status = await client.status(FOLDER, { messages: true }).catch(() => false);
  await client.logout();
  if (!status || status.messages < COUNT) {
    console.log(`Filling ${FOLDER} with ${COUNT.toLocaleString()} messages…`);
    const t0 = performance.now();
    stack("fill", USER.login, FOLDER, String(COUNT));
    stack("fill", "--big-attachment", USER.login, FOLDER);
    console.log(`  filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

// --- the app over HTTP -------------------------------------------------------------------------

function startApp() {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, AUTH_TRUST_HOST: "1", NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
}

async function waitForApp() {
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`${BASE}/login`);
      if (r.ok) return;
    } catch {}
    await sleep(500);
  }
  throw new Error("the app did not start");
}

function cookieHeader(jar) {
  return [...jar.entries()].map(([k, v]) => `${k}=${v}`).join("; ");
}

function absorbCookies(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

async function signIn() {
  const jar = new Map();
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  absorbCookies(jar, csrf);
  const { csrfToken } = await csrf.json();
  const response = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar), Origin: BASE },
    body: new URLSearchParams({ email: USER.login, password: USER.password, csrfToken, json: "true" }),
  });
  absorbCookies(jar, response);
  if (![...jar.keys()].some((k) => k.endsWith("session-token"))) throw new Error(`sign-in failed (${response.status})`);
  return jar;
}

async function getJson(jar, path) {
  const r = await fetch(`${BASE}${path}`, { headers: { Cookie: cookieHeader(jar) } });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

function rssOfTree(pid) {
  // The server may run workers: count the whole process tree.
  let total = 0;
  const pids = [pid];
  while (pids.length) {
    const p = pids.pop();
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      const children = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    } catch {}
  }
  return total;
}

async function peakDuring(pid, work) {
  const before = pid ? rssOfTree(pid) : process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, pid ? rssOfTree(pid) : process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  clearInterval(timer);
  return { before, peak, growth: peak - before, ms };
}

function firstTextPart(node) {
  if (!node.childNodes) return node.type?.startsWith("text/") ? (node.part ?? "1") : null;
  for (const child of node.childNodes) {
    const found = firstTextPart(child);
    if (found) return found;
  }
  return null;
}

// --- run ---------------------------------------------------------------------------------------

await ensureFolder();
const app = startApp();
const rows = [];
let conversationSummary = "";
const row = (name, appMs, floorMs, unit = "ms") => rows.push({ name, app: appMs, floor: floorMs, unit });

try {
  await waitForApp();

  // Sign in: the app verifies over IMAP and sets up the session; the floor is IMAP LOGIN alone.
  const signInMs = await timeRuns(signIn);
  const loginFloor = await timeRuns(async () => {
    const c = imapClient();
    await c.connect();
    await c.logout();
  });
  row("sign in", signInMs, loginFloor);

  const jar = await signIn();
  const first = await getJson(jar, `/api/messages?folder=${FOLDER}&page=0&pageSize=50`);
  const uidValidity = first.uidValidity;

  const floorClient = imapClient();
  await floorClient.connect();
  const A = (value) => ({ type: "ATOM", value });
  // The same preview FETCH the app adds to every page (PREVIEW, RFC 8970), so the floor is like for like.
  const floorPreviews = async (uids, byUid) => {
    const r = await floorClient.exec(byUid ? "UID FETCH" : "FETCH", [{ type: "SEQUENCE", value: uids }, [A("UID"), A("PREVIEW")]], {
      untagged: { FETCH: async () => undefined },
    });
    r.next();
  };
  const HEADERS = { uid: true, flags: true, envelope: true, internalDate: true, size: true, bodyStructure: true };
  // Arrival order: a sequence range from EXISTS, no sort.
  const floorPage = async (page) => {
    const lock = await floorClient.getMailboxLock(FOLDER);
    try {
      const exists = floorClient.mailbox.exists;
      const end = exists - page * 50;
      const range = `${Math.max(1, end - 49)}:${end}`;
      const out = [];
      for await (const m of floorClient.fetch(range, HEADERS)) out.push(m);
      await floorPreviews(range, false);
      return out;
    } finally {
      lock.release();
    }
  };
  // By date: the fewest commands that do it — UID SORT (ESORT, RFC 5267: one compact answer), then
  // UID FETCH of the page's 50 UIDs.
  const floorSortedPage = async (page) => {
    const lock = await floorClient.getMailboxLock(FOLDER);
    try {
      let all = "";
      const r = await floorClient.exec("UID SORT", [A("RETURN"), [A("ALL")], [A("DATE")], A("UTF-8"), A("ALL")], {
        untagged: { ESEARCH: async (u) => { all = u.attributes.find((a) => a.type === "SEQUENCE")?.value ?? ""; } },
      });
      r.next();
      const uids = [];
      for (const part of all.split(",")) {
        const [a, b = a] = part.split(":").map(Number);
        for (let n = a; ; n += b >= a ? 1 : -1) { uids.push(n); if (n === b) break; }
      }
      const end = uids.length - page * 50;
      const slice = uids.slice(Math.max(0, end - 50), end).reverse().join(",");
      const out = [];
      for await (const m of floorClient.fetch(slice, HEADERS, { uid: true })) out.push(m);
      await floorPreviews(slice, true);
      return out;
    } finally {
      lock.release();
    }
  };

  const list = (page, sort) => () => getJson(jar, `/api/messages?folder=${FOLDER}&page=${page}&pageSize=50&sort=${sort}`);
  row("message list by arrival, page 1", await timeRuns(list(0, "arrival")), await timeRuns(() => floorPage(0)));
  row("message list by arrival, page 1,000", await timeRuns(list(999, "arrival")), await timeRuns(() => floorPage(999)));
  row("message list by date, page 1", await timeRuns(list(0, "date")), await timeRuns(() => floorSortedPage(0)));
  row("message list by date, page 1,000", await timeRuns(list(999, "date")), await timeRuns(() => floorSortedPage(999)));
  // Search (issue 11): the first page of results, newest first, over the whole folder. The floor is
  // the same SEARCH through imapflow's search object, then the newest 50 rows' headers and previews
  // (fill.mjs writes dates in arrival order, so newest by UID is newest by date). Dovecot answers
  // text searches from its full-text index (fts-xapian) here; the warm-up run builds what is missing.
  {
    const sample = await getJson(jar, `/api/messages?folder=${FOLDER}&page=0&pageSize=1`);
    const sender = sample.messages[0].from[0].address;
    const floorSearch = (query) => async () => {
      const lock = await floorClient.getMailboxLock(FOLDER);
      try {
        const uids = (await floorClient.search(query, { uid: true })) || [];
        const slice = uids.slice(-50).reverse().join(",");
        const out = [];
        if (slice) {
          for await (const m of floorClient.fetch(slice, HEADERS, { uid: true })) out.push(m);
          await floorPreviews(slice, true);
        }
        return uids.length;
      } finally {
        lock.release();
      }
    };
    const search = (q) => () => getJson(jar, `/api/search?${new URLSearchParams({ q, folder: FOLDER, pageSize: "50" })}`);
    const searches = [
      ["search: common word", "because", { text: "because" }],
      ["search: absent word", "xylophone", { text: "xylophone" }],
      ["search: from:", `from:${sender}`, { from: sender }],
    ];
    for (const [name, q, floorQuery] of searches) {
      const appMs = await timeRuns(search(q));
      const floorMs = await timeRuns(floorSearch(floorQuery));
      const [ours, floorCount] = [(await search(q)()).total, await floorSearch(floorQuery)()];
      if (ours !== floorCount) throw new Error(`${name}: the app found ${ours}, imapflow ${floorCount}`);
      row(`${name} (${ours.toLocaleString()})`, appMs, floorMs);
    }
  }
  {
    const page = await getJson(jar, `/api/messages?folder=${FOLDER}&page=999&pageSize=50&sort=date`);
    if (page.sort !== "date" || page.messages.length !== 50) throw new Error(`sorted page 1,000 is not what it should be (${page.sort}, ${page.messages.length})`);
  }

  // Conversations (issue 11): the first page with the view on, beside the same page with it off.
  // The floor is the same commands sent directly: UID THREAD REFS (RFC 5256; Dovecot answers from
  // its own index), then UID FETCH of the first 50 conversations' messages and their previews.
  const floorThreadPage = async (page) => {
    const lock = await floorClient.getMailboxLock(FOLDER);
    try {
      const threads = [];
      const flatten = (node, into) => (Array.isArray(node) ? node.forEach((n) => flatten(n, into)) : into.push(Number(node.value)));
      const r = await floorClient.exec("UID THREAD", [A("REFS"), A("UTF-8"), A("ALL")], {
        untagged: {
          THREAD: async (u) => {
            for (const top of u.attributes ?? []) {
              const uids = [];
              flatten(top, uids);
              threads.push(uids);
            }
          },
        },
      });
      r.next();
      threads.reverse();
      const uids = threads.slice(page * 50, (page + 1) * 50).flat().join(",");
      const out = [];
      for await (const m of floorClient.fetch(uids, { ...HEADERS, headers: ["references"] }, { uid: true })) out.push(m);
      await floorPreviews(uids, true);
      return out;
    } finally {
      lock.release();
    }
  };
  const conversations = (page) => () => getJson(jar, `/api/conversations?folder=${FOLDER}&page=${page}&pageSize=50`);
  // The very first THREAD of a folder makes the server build its thread index: timed once, apart.
  const coldStart = performance.now();
  const firstConversations = await conversations(0)();
  const conversationsCold = performance.now() - coldStart;
  if (!firstConversations.conversations || firstConversations.messages.length !== 50) throw new Error("the conversation page is not what it should be");
  const conversationsOn = await timeRuns(conversations(0));
  row("conversations on, page 1", conversationsOn, await timeRuns(() => floorThreadPage(0)));
  row("conversations on, page 1,000", await timeRuns(conversations(999)), await timeRuns(() => floorThreadPage(999)));
  const conversationsOff = rows.find((r) => r.name === "message list by date, page 1").app;
  conversationSummary =
    `\nconversations on ÷ off, page 1 (app): ${(conversationsOn / conversationsOff).toFixed(2)}× ` +
    `(${conversationsOn.toFixed(1)} ms vs ${conversationsOff.toFixed(1)} ms); the folder's first conversation page, ` +
    `thread index not yet built: ${conversationsCold.toFixed(0)} ms`;

  // Opening a message, cold: a different message each run (the rendered body is cached per login
  // for 10 minutes, so opening one twice would time the cache, not the mail server and the
  // sanitizer), against the floor fetching the same messages. Then the same message again: the
  // body from the cache (what a prefetched or re-opened message costs), as its own row.
  // A page picked at random: the cache is per login and outlives the run, so a second run within
  // ten minutes must not find these messages rendered already.
  const pages = Math.floor(COUNT / 50);
  const coldPage = Math.floor(pages / 10) + Math.floor(Math.random() * Math.max(1, (pages * 8) / 10));
  const typicals = (await getJson(jar, `/api/messages?folder=${FOLDER}&page=${coldPage}&pageSize=50`)).messages.filter((m) => m.size < 100_000);
  if (typicals.length < 2 * (RUNS + 1)) throw new Error(`too few typical messages on page ${coldPage + 1} (${typicals.length})`);
  const appUids = typicals.slice(0, RUNS + 1).map((m) => m.uid);
  const floorUids = typicals.slice(RUNS + 1, 2 * (RUNS + 1)).map((m) => m.uid);
  const openOne = (uid) => getJson(jar, `/api/messages/${uid}?folder=${FOLDER}&uidValidity=${uidValidity}&remote=0`);
  const floorOpen = async (uid) => {
    const lock = await floorClient.getMailboxLock(FOLDER);
    try {
      const m = await floorClient.fetchOne(String(uid), { uid: true, flags: true, envelope: true, bodyStructure: true }, { uid: true });
      const textPart = firstTextPart(m.bodyStructure) ?? "1";
      const { content } = await floorClient.download(String(uid), textPart, { uid: true });
      for await (const _ of content);
    } finally {
      lock.release();
    }
  };
  // Each run takes the next message of its list (the warm-up takes the first).
  const nextOf = (uids) => {
    let i = 0;
    return () => uids[i++ % uids.length];
  };
  const nextApp = nextOf(appUids);
  const nextFloor = nextOf(floorUids);
  row("open a message (cold)", await timeRuns(() => openOne(nextApp())), await timeRuns(() => floorOpen(nextFloor())));
  // Cached: the last message the app opened, again; the floor still downloads (it has no cache).
  const cachedUid = appUids[RUNS];
  row("open a message (body cached)", await timeRuns(() => openOne(cachedUid)), await timeRuns(() => floorOpen(cachedUid)));

  // The 25 MB attachment: time and peak memory of the server process while it streams.
  const lock = await floorClient.getMailboxLock(FOLDER);
  const bigUids = await floorClient.search({ subject: "Big attachment 25MB" }, { uid: true });
  lock.release();
  const bigUid = bigUids[bigUids.length - 1];
  const big = await getJson(jar, `/api/messages/${bigUid}?folder=${FOLDER}&uidValidity=${uidValidity}`);
  const attachment = big.attachments.find((a) => !a.inline);
  const downloadApp = async () => {
    const r = await fetch(`${BASE}/api/messages/${bigUid}/parts/${attachment.partId}?folder=${FOLDER}&uidValidity=${uidValidity}&download=1`, {
      headers: { Cookie: cookieHeader(jar) },
    });
    let bytes = 0;
    for await (const chunk of r.body) bytes += chunk.length;
    if (bytes < 20_000_000) throw new Error(`download too short: ${bytes}`);
  };
  const downloadFloor = async () => {
    const l = await floorClient.getMailboxLock(FOLDER);
    try {
      // The same window the app uses (lib/mail/imap/download-part.ts), so the floor is like for like.
      const { content } = await floorClient.download(String(bigUid), attachment.partId, { uid: true, chunkSize: 1024 * 1024 });
      for await (const _ of content);
    } finally {
      l.release();
    }
  };
  // Each run samples the process's RSS every 20 ms; medians of time and of peak growth.
  const DOWNLOAD_RUNS = 5;
  const sampleRuns = async (pid, fn) => {
    await fn();
    const runs = [];
    for (let i = 0; i < DOWNLOAD_RUNS; i++) runs.push(await peakDuring(pid, fn));
    return {
      ms: median(runs.map((r) => r.ms)),
      growth: median(runs.map((r) => r.growth)),
      before: median(runs.map((r) => r.before)),
      peak: Math.max(...runs.map((r) => r.peak)),
    };
  };
  const appDownload = await sampleRuns(app.pid, downloadApp);
  const floorDownload = await sampleRuns(null, downloadFloor);
  row("download 25 MB attachment", appDownload.ms, floorDownload.ms);
  rows.push({ name: "peak memory growth during it", app: appDownload.growth / 2 ** 20, floor: floorDownload.growth / 2 ** 20, unit: "MiB" });
  // Sending a 25 MB attachment: the app's upload + send (build, SMTP submission, append to Sent)
  // against nodemailer building and submitting the same message and imapflow appending it.
  const SEND_RUNS = Number(process.env.BENCH_SEND_RUNS ?? 3);
  const attachmentBytes = randomBytes(25 * 1024 * 1024);
  const smtpUrl = new URL(process.env.MAIL_SMTP_URL);
  const sendApp = async () => {
    const upload = await fetch(`${BASE}/api/uploads`, {
      method: "POST",
      headers: { Cookie: cookieHeader(jar), Origin: BASE, "Content-Type": "application/octet-stream", "X-File-Name": "big.bin" },
      body: attachmentBytes,
    });
    if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
    const { id } = await upload.json();
    const sent = await fetch(`${BASE}/api/send`, {
      method: "POST",
      headers: { Cookie: cookieHeader(jar), Origin: BASE, "Content-Type": "application/json" },
      body: JSON.stringify({
        to: [{ name: "", address: "bob@example.test" }],
        subject: "Bench send 25MB",
        format: "html",
        body: "<p>The file is attached.</p>",
        attachmentIds: [id],
        idempotencyKey: randomUUID(),
      }),
    });
    if (!sent.ok) throw new Error(`send: ${sent.status} ${await sent.text()}`);
  };
  const sendFloor = async () => {
    const node = new MailComposer({
      from: USER.login,
      to: "bob@example.test",
      subject: "Bench send 25MB (floor)",
      text: "The file is attached.",
      html: "<p>The file is attached.</p>",
      attachments: [{ filename: "big.bin", content: attachmentBytes }],
    }).compile();
    const raw = await node.build();
    const transport = nodemailer.createTransport({
      host: smtpUrl.hostname,
      port: Number(smtpUrl.port),
      secure: smtpUrl.protocol === "smtps:",
      auth: { user: USER.login, pass: USER.password },
      tls: { rejectUnauthorized: false },
    });
    await transport.sendMail({ envelope: { from: USER.login, to: ["bob@example.test"] }, raw });
    transport.close();
    await floorClient.append("Sent", raw, ["\\Seen"]);
  };
  const sampleSends = async (pid, fn) => {
    await fn();
    const runs = [];
    for (let i = 0; i < SEND_RUNS; i++) runs.push(await peakDuring(pid, fn));
    return { ms: median(runs.map((r) => r.ms)), growth: median(runs.map((r) => r.growth)), peak: Math.max(...runs.map((r) => r.peak)) };
  };
  const appSend = await sampleSends(app.pid, sendApp);
  const floorSend = await sampleSends(null, sendFloor);
  row("send with a 25 MB attachment", appSend.ms, floorSend.ms);
  rows.push({ name: "peak memory growth during it", app: appSend.growth / 2 ** 20, floor: floorSend.growth / 2 ** 20, unit: "MiB" });

  // The sent copies would pile up 25 MB a run in the bench state: remove them (and bob's deliveries).
  const removeBenchSends = async (client) => {
    const l = await client.getMailboxLock(client === floorClient ? "Sent" : "INBOX");
    try {
      const uids = (await client.search({ subject: "Bench send 25MB" }, { uid: true })) || [];
      if (uids.length) await client.messageDelete(uids, { uid: true });
    } finally {
      l.release();
    }
  };
  await removeBenchSends(floorClient);
  await sleep(2000); // deliveries to bob are asynchronous
  const bob = new ImapFlow({
    host: imapUrl.hostname, port: Number(imapUrl.port), secure: imapUrl.protocol === "imaps:",
    auth: { user: "bob@example.test", pass: "bob-password" }, logger: false, tls: { rejectUnauthorized: false },
  });
  bob.on("error", () => undefined);
  await bob.connect();
  await removeBenchSends(bob);
  await bob.logout();

  await floorClient.logout();

  // Live updates: SMTP delivery to the event in a connected stream, beside imapflow's own IDLE.
  await benchLiveUpdates({ base: BASE, cookie: cookieHeader(jar), user: USER, imapUrl, smtpUrl, median, row });

  console.log(`\nLetterbox benchmark — ${COUNT.toLocaleString()} messages in ${FOLDER}, medians of ${RUNS} runs (after one warm-up)\n`);
  console.log("operation".padEnd(34) + "app".padStart(12) + "imapflow floor".padStart(16) + "ratio".padStart(9));
  for (const r of rows) {
    const fmt = (v) => `${v.toFixed(r.unit === "MiB" ? 1 : 1)} ${r.unit}`;
    const ratio = r.floor > 0 ? `${(r.app / r.floor).toFixed(2)}×` : "–";
    console.log(r.name.padEnd(34) + fmt(r.app).padStart(12) + fmt(r.floor).padStart(16) + ratio.padStart(9));
  }
  console.log(conversationSummary);
  console.log(
    `\nserver RSS peak while sending 25 MB: ${(appSend.peak / 2 ** 20).toFixed(0)} MiB (highest over ${SEND_RUNS} sends)` +
    `\nserver RSS before a 25 MB download: ${(appDownload.before / 2 ** 20).toFixed(0)} MiB (median), highest peak over ${DOWNLOAD_RUNS} downloads: ${(appDownload.peak / 2 ** 20).toFixed(0)} MiB`,
  );
} finally {
  app.kill("SIGTERM");
}
