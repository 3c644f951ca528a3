// npm run bench: the app's HTTP routes against the floor of doing the same directly over IMAP with
// imapflow, on a 100,000-message folder. Medians of several runs, measured in one go; the ratio is
// app ÷ floor. Expects the mail stack running and its env exported (scripts/bench.sh does both).
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes, randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { benchLiveUpdates } from "./live.mjs";
import {
  BENCH_PORT,
  COUNT,
  FOLDER,
  HEADERS,
  RUNS,
  USER,
  cookieHeader,
  ensureFolder,
  floorOpen,
  A,
  floorPreviews,
  floorSortDate,
  floorSortedPage,
  floorThreadPage,
  fullTextIndex,
  fullTextIndexPid,
  getJson as getJsonAt,
  imapClient,
  median,
  printRows,
  signIn as signInAt,
  startApp,
  stopApp,
  timeRuns,
  waitForFullTextIndex,
} from "./common.mjs";

const PORT = BENCH_PORT;
const BASE = `http://127.0.0.1:${PORT}`;
// BENCH_ONLY=search: the search rows alone (once the full-text index is built).
const SEARCH_ONLY = process.env.BENCH_SEARCH_ONLY === "1";
// How long the search rows wait for the full-text index being built in the background (minutes).
const FTS_WAIT_MIN = Number(process.env.BENCH_FTS_WAIT_MIN ?? (SEARCH_ONLY ? 60 : 0));

const signIn = () => signInAt(BASE);
const getJson = (jar, path) => getJsonAt(BASE, jar, path);

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

// Search (issue 11): the first page of results, newest first, over the whole folder. The app sends
// UID SORT RETURN (ALL) (DATE) UTF-8 <keys> (ESORT, RFC 5267) and fetches the newest 50 rows with
// previews; the floor sends exactly that through imapflow on an open connection. A plain UID SEARCH
// of the same keys through imapflow's search() (no order, no rows) is printed beside it. Dovecot
// answers TEXT from its full-text index (fts-xapian), so these rows wait for it (common.mjs).
async function searchRows(jar, floorClient, row) {
  // A sender of the generated mail (the newest message is the 25 MB one, from its own sender).
  const sample = await getJson(jar, `/api/messages?folder=${FOLDER}&page=1&pageSize=1`);
  const sender = sample.messages[0].from[0].address;
  const floorSearch = (key, value) => async () => {
    const lock = await floorClient.getMailboxLock(FOLDER);
    try {
      const uids = await floorSortDate(floorClient, [A(key), { type: "STRING", value }]);
      const slice = uids.slice(-50).reverse().join(",");
      if (slice) {
        for await (const _ of floorClient.fetch(slice, HEADERS, { uid: true }));
        await floorPreviews(floorClient, slice, true);
      }
      return uids.length;
    } finally {
      lock.release();
    }
  };
  const plainSearch = (query) => async () => {
    const lock = await floorClient.getMailboxLock(FOLDER);
    try {
      return ((await floorClient.search(query, { uid: true })) || []).length;
    } finally {
      lock.release();
    }
  };
  // Bounded, beyond the app's own bound for a silent search (MAIL_IMAP_SEARCH_TIMEOUT_MS, 5 minutes),
  // so the app's answer is what is measured; a search it never answers still ends the row.
  const search = (q) => async () => {
    const r = await fetch(`${BASE}/api/search?${new URLSearchParams({ q, folder: FOLDER, pageSize: "50" })}`, {
      headers: { Cookie: cookieHeader(jar) },
      signal: AbortSignal.timeout(6 * 60_000),
    });
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    return r.json();
  };
  // A word of some subjects (about 1 message in 28), a word in no message, a sender, and a word of
  // nearly every body (fill.mjs writes bodies from a 200-word vocabulary).
  const searches = [
    ["search: subject word", "escalation", "TEXT", "escalation", { text: "escalation" }],
    ["search: absent word", "xylophone", "TEXT", "xylophone", { text: "xylophone" }],
    ["search: from:", `from:${sender}`, "FROM", sender, { from: sender }],
    ["search: common word", "because", "TEXT", "because", { text: "because" }],
  ];
  const plain = [];
  for (const [name, q, key, value, query] of searches) {
    // The warm-up doubles as the check that the app answers at all: a search the server keeps silent
    // over longer than MAIL_IMAP_SEARCH_TIMEOUT_MS fails with SEARCH_TIMEOUT. Then the floor is timed
    // once (it may take minutes) and the row says what the app answered.
    let failed = null;
    await search(q)().catch((e) => (failed = e));
    if (failed) {
      const t0 = performance.now();
      const count = await floorSearch(key, value)();
      row(`${name} (${count.toLocaleString()}): app failed`, null, performance.now() - t0);
      plain.push(`${name}: the app answered ${String(failed.message).slice(0, 160)}; the floor once, ${count.toLocaleString()} found`);
      continue;
    }
    const appMs = await timeRuns(search(q), { warmUp: false });
    const floorMs = await timeRuns(floorSearch(key, value));
    const plainMs = await timeRuns(plainSearch(query));
    const [ours, floorCount, plainCount] = [(await search(q)()).total, await floorSearch(key, value)(), await plainSearch(query)()];
    if (ours !== floorCount || ours !== plainCount) throw new Error(`${name}: the app found ${ours}, the floor ${floorCount}, SEARCH ${plainCount}`);
    row(`${name} (${ours.toLocaleString()})`, appMs, floorMs);
    plain.push(`${name}: ${plainMs.toFixed(1)} ms`);
  }
  return `plain UID SEARCH through imapflow (no order, no rows): ${plain.join("; ")}`;
}

// --- run ---------------------------------------------------------------------------------------

await ensureFolder();
// Body search is answered from Dovecot's full-text index: built once, in the background, at the
// lowest priority, while the other rows are measured (common.mjs). The search rows come last.
fullTextIndex();
const app = await startApp(PORT);
const rows = [];
let conversationSummary = "";
let searchNote = "";
let memoryNote = "";
const row = (name, appMs, floorMs, unit = "ms") => rows.push({ name, app: appMs, floor: floorMs, unit });

try {
  const jar = await signIn();
  const first = await getJson(jar, `/api/messages?folder=${FOLDER}&page=0&pageSize=50`);
  const uidValidity = first.uidValidity;

  const floorClient = imapClient();
  await floorClient.connect();
  if (!SEARCH_ONLY) {
    // Sign in: the app verifies over IMAP and sets up the session; the floor is IMAP LOGIN alone.
    const signInMs = await timeRuns(signIn);
    const loginFloor = await timeRuns(async () => {
      const c = imapClient();
      await c.connect();
      await c.logout();
    });
    row("sign in", signInMs, loginFloor);

    // Arrival order: a sequence range from EXISTS, no sort.
    const floorPage = async (page) => {
      const lock = await floorClient.getMailboxLock(FOLDER);
      try {
        const exists = floorClient.mailbox.exists;
        const end = exists - page * 50;
        const range = `${Math.max(1, end - 49)}:${end}`;
        const out = [];
        for await (const m of floorClient.fetch(range, HEADERS)) out.push(m);
        await floorPreviews(floorClient, range, false);
        return out;
      } finally {
        lock.release();
      }
    };
    // By date: UID SORT (ESORT, RFC 5267: one compact answer), then UID FETCH of the page's 50 UIDs
    // and their previews (common.mjs).
    const sortedPage = (page) => floorSortedPage(floorClient, FOLDER, page);
    const list = (page, sort) => () => getJson(jar, `/api/messages?folder=${FOLDER}&page=${page}&pageSize=50&sort=${sort}`);
    row("message list by arrival, page 1", await timeRuns(list(0, "arrival")), await timeRuns(() => floorPage(0)));
    row("message list by arrival, page 1,000", await timeRuns(list(999, "arrival")), await timeRuns(() => floorPage(999)));
    row("message list by date, page 1", await timeRuns(list(0, "date")), await timeRuns(() => sortedPage(0)));
    row("message list by date, page 1,000", await timeRuns(list(999, "date")), await timeRuns(() => sortedPage(999)));
    {
      const page = await getJson(jar, `/api/messages?folder=${FOLDER}&page=999&pageSize=50&sort=date`);
      if (page.sort !== "date" || page.messages.length !== 50) throw new Error(`sorted page 1,000 is not what it should be (${page.sort}, ${page.messages.length})`);
    }

    // Conversations (issue 11): the first page with the view on, beside the same page with it off.
    // The floor is the same commands sent directly: UID THREAD REFS (RFC 5256; Dovecot answers from
    // its own index), then UID FETCH of the first 50 conversations' messages and their previews.
    const threadPage = (page) => floorThreadPage(floorClient, FOLDER, page);
    const conversations = (page) => () => getJson(jar, `/api/conversations?folder=${FOLDER}&page=${page}&pageSize=50`);
    // The session's first conversation page: the newest 500 messages threaded with their relatives
    // (the whole folder is threaded after the answer, in the background): timed once, apart; the
    // cold rows with their floor are in the cache part (cache.mjs). The warm rows wait for the build.
    const coldStart = performance.now();
    const firstConversations = await conversations(0)();
    const conversationsCold = performance.now() - coldStart;
    if (!firstConversations.conversations || firstConversations.messages.length !== 50) throw new Error("the conversation page is not what it should be");
    for (const until = Date.now() + 60_000; (await conversations(0)()).totalEstimated && Date.now() < until; ) await sleep(200);
    const conversationsOn = await timeRuns(conversations(0));
    row("conversations on, page 1", conversationsOn, await timeRuns(() => threadPage(0)));
    row("conversations on, page 1,000", await timeRuns(conversations(999)), await timeRuns(() => threadPage(999)));
    const conversationsOff = rows.find((r) => r.name === "message list by date, page 1").app;
    conversationSummary =
      `\nconversations on ÷ off, page 1 (app): ${(conversationsOn / conversationsOff).toFixed(2)}× ` +
      `(${conversationsOn.toFixed(1)} ms vs ${conversationsOff.toFixed(1)} ms); the session's first conversation page ` +
      `(newest 500 threaded, whole folder after): ${conversationsCold.toFixed(0)} ms`;

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
    const openFloor = (uid) => floorOpen(floorClient, FOLDER, uid);
    // Each run takes the next message of its list (the warm-up takes the first).
    const nextOf = (uids) => {
      let i = 0;
      return () => uids[i++ % uids.length];
    };
    const nextApp = nextOf(appUids);
    const nextFloor = nextOf(floorUids);
    row("open a message (cold)", await timeRuns(() => openOne(nextApp())), await timeRuns(() => openFloor(nextFloor())));
    // Cached: the last message the app opened, again; the floor still downloads (it has no cache).
    const cachedUid = appUids[RUNS];
    row("open a message (body cached)", await timeRuns(() => openOne(cachedUid)), await timeRuns(() => openFloor(cachedUid)));

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
    const bob = imapClient({ login: "bob@example.test", password: "bob-password" });
    await bob.connect();
    await removeBenchSends(bob);
    await bob.logout();

    memoryNote =
      `\nserver RSS peak while sending 25 MB: ${(appSend.peak / 2 ** 20).toFixed(0)} MiB (highest over ${SEND_RUNS} sends)` +
      `\nserver RSS before a 25 MB download: ${(appDownload.before / 2 ** 20).toFixed(0)} MiB (median), highest peak over ${DOWNLOAD_RUNS} downloads: ${(appDownload.peak / 2 ** 20).toFixed(0)} MiB`;

    // Live updates: SMTP delivery to the event in a connected stream, beside imapflow's own IDLE.
    await benchLiveUpdates({ base: BASE, cookie: cookieHeader(jar), user: USER, smtpUrl, row });

  }

  // The search rows, last: they need the full-text index (built in the background meanwhile).
  const ftsReady = fullTextIndex() === "ready" || (await waitForFullTextIndex(FTS_WAIT_MIN));
  if (ftsReady) searchNote = await searchRows(jar, floorClient, row);
  else {
    searchNote =
      `search rows not measured: the full-text index of ${FOLDER} is still being built (nice 19, pid ${fullTextIndexPid()}); ` +
      "run BENCH_ONLY=search npm run bench when it is done (it waits up to BENCH_FTS_WAIT_MIN, default 60).";
  }
  await floorClient.logout();

  console.log(`\nLetterbox benchmark — ${COUNT.toLocaleString()} messages in ${FOLDER}, medians of ${RUNS} runs (after one warm-up)\n`);
  printRows(rows, 40);
  for (const note of [conversationSummary, memoryNote, searchNote]) if (note) console.log(note);
} finally {
  await stopApp(app);
}
