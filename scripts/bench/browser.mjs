// npm run bench, the browser's side (issue 14): headless Chromium (Debian's, as the e2e tests run it)
// against the production build, on the 100,000-message folder. What a user waits for:
//   - navigation to the first row painted (the mail page is server-rendered),
//   - a click on a row to its body painted in the reader, cold and after the row was prefetched,
//   - the compressed JavaScript of the mail view's first visit,
// and the server's side of switching folders. Each beside its floor: the same work done directly
// with imapflow on an already open connection. Medians of BENCH_RUNS runs after one warm-up.
// Expects the mail stack running and its env exported (scripts/bench.sh); BENCH_ONLY=browser runs
// this part alone.
import { spawn, execFileSync } from "node:child_process";
import { brotliCompressSync } from "node:zlib";
import { setTimeout as sleep } from "node:timers/promises";
import { ImapFlow } from "imapflow";
import { chromium } from "@playwright/test";

const USER = { login: "alice@example.test", password: "alice-password" };
const FOLDER = "Bench";
const OTHER = "INBOX";
const COUNT = Number(process.env.BENCH_MESSAGES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PORT = Number(process.env.BENCH_BROWSER_PORT ?? Number(process.env.BENCH_PORT ?? 3400) + 1);
const BASE = `http://127.0.0.1:${PORT}`;
const imapUrl = new URL(process.env.MAIL_IMAP_URL);
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function timeRuns(fn, runs = RUNS) {
  await fn(-1);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const measured = await fn(i);
    times.push(typeof measured === "number" ? measured : performance.now() - t0);
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

async function ensureFolder() {
  const client = imapClient();
  await client.connect();
  const status = await client.status(FOLDER, { messages: true }).catch(() => false);
  await client.logout();
  if (!status || status.messages < COUNT) {
    console.log(`Filling ${FOLDER} with ${COUNT.toLocaleString()} messages…`);
    execFileSync("bash", ["scripts/mail-stack/mail-stack.sh", "fill", USER.login, FOLDER, String(COUNT)], { stdio: "inherit" });
  }
}

async function startApp() {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, AUTH_TRUST_HOST: "1", NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error("the app exited at start");
    const ok = await fetch(`${BASE}/login`).then((r) => r.ok, () => false);
    if (ok) return child;
    await sleep(250);
  }
  child.kill("SIGKILL");
  throw new Error("the app did not start");
}

// A message of the usual kind (a few kB of HTML and its text alternative), new to the folder, so no
// cache of the app's has seen it: opening it is cold.
function freshMessage(n) {
  const boundary = `b${n}${Date.now()}`;
  const paragraphs = Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i + 1} of a message written for the browser benchmark, with <b>some</b> markup and a <a href="https://example.test/${i}">link</a>.</p>`).join("\n");
  return [
    "From: Bench Sender <sender@example.test>",
    `To: ${USER.login}`,
    `Subject: Browser bench ${n}`,
    `Date: ${new Date(Date.now() + n * 1000).toUTCString()}`,
    `Message-ID: <browser-bench-${n}-${Date.now()}@example.test>`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    paragraphs.replace(/<[^>]+>/g, ""),
    `--${boundary}`,
    "Content-Type: text/html; charset=utf-8",
    "",
    `<html><body>${paragraphs}</body></html>`,
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

// In the page, before anything else: when the first row of the list exists, the time of the frame
// that paints it; when a reader's body frame has loaded, the time of the frame that paints it.
const PROBE = () => {
  const w = window;
  w.__bench = { firstRow: null, body: null, clickAt: null };
  const rowObserver = new MutationObserver(() => {
    if (w.__bench.firstRow !== null) return;
    if (document.querySelector('ul[aria-label^="Messages in"] li [data-uid]')) {
      rowObserver.disconnect();
      requestAnimationFrame((t) => (w.__bench.firstRow = t));
    }
  });
  rowObserver.observe(document, { childList: true, subtree: true });
  document.addEventListener("pointerdown", () => {
    w.__bench.clickAt = performance.now();
    w.__bench.body = null;
  }, true);
  // Body frames load after the click; each load marks the frame that shows it.
  document.addEventListener("load", (event) => {
    if (event.target instanceof HTMLIFrameElement && w.__bench.clickAt !== null) requestAnimationFrame((t) => (w.__bench.body ??= t));
  }, true);
};

async function signedInContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").fill(USER.login);
  await page.getByLabel("Password").fill(USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/mail/);
  await page.close();
  return context;
}

const rows = [];
const row = (name, app, floor, unit = "ms") => rows.push({ name, app, floor, unit });

await ensureFolder();
const app = await startApp();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
const floor = imapClient();
await floor.connect();
const fresh = [];
try {
  const context = await signedInContext(browser);
  const A = (value) => ({ type: "ATOM", value });
  // The floor of showing a folder: its first page by date on an open connection (UID SORT with
  // ESORT, then UID FETCH of 50 rows' headers), the same commands the app sends.
  const HEADERS = { uid: true, flags: true, envelope: true, internalDate: true, size: true, bodyStructure: true };
  const floorFirstPage = async (folder) => {
    const lock = await floor.getMailboxLock(folder);
    try {
      let all = "";
      const r = await floor.exec("UID SORT", [A("RETURN"), [A("ALL")], [A("DATE")], A("UTF-8"), A("ALL")], {
        untagged: { ESEARCH: async (u) => { all = u.attributes.find((a) => a.type === "SEQUENCE")?.value ?? ""; } },
      });
      r.next();
      const uids = [];
      for (const part of all.split(",").filter(Boolean)) {
        const [a, b = a] = part.split(":").map(Number);
        for (let n = a; ; n += b >= a ? 1 : -1) { uids.push(n); if (n === b) break; }
      }
      const out = [];
      const slice = uids.slice(-50).reverse().join(",");
      if (slice) for await (const m of floor.fetch(slice, HEADERS, { uid: true })) out.push(m);
      return out;
    } finally {
      lock.release();
    }
  };

  // Navigation to the first row painted, in the folder's default view; a new tab each run.
  const navigate = async () => {
    const page = await context.newPage();
    await page.addInitScript(PROBE);
    await page.goto(`${BASE}/mail?folder=${FOLDER}`);
    // The warm-up may wait for the server's first THREAD of the folder (it builds its thread index).
    await page.waitForFunction(() => window.__bench.firstRow !== null, null, { timeout: 600_000 });
    const ms = await page.evaluate(() => window.__bench.firstRow);
    await page.close();
    return ms;
  };
  console.error("[bench] navigation");
  row("navigation → first row painted", await timeRuns(navigate), await timeRuns(() => floorFirstPage(FOLDER)));

  // Switching folders, the server's part: the first page of the other folder, alternately.
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const getJson = async (path) => {
    const r = await fetch(`${BASE}${path}`, { headers: { Cookie: cookie } });
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    return r.json();
  };
  let flip = 0;
  const switchApp = () => getJson(`/api/messages?folder=${flip++ % 2 ? FOLDER : OTHER}&page=0&pageSize=50&sort=date`);
  let flipFloor = 0;
  const switchFloor = () => floorFirstPage(flipFloor++ % 2 ? FOLDER : OTHER);
  row("switch folders (server)", await timeRuns(switchApp), await timeRuns(switchFloor));

  // Click → body painted. Fresh messages (newest, so on screen), one per run: cold means no cache
  // of the app's has seen the message. The floor: the same message's headers, structure and text
  // part fetched on an open connection (what the reader needs from the server).
  const clicks = 2 * (RUNS + 1);
  const lock = await floor.getMailboxLock(FOLDER);
  try {
    // Left by a run that was interrupted: their subjects would be found twice.
    const left = (await floor.search({ subject: "Browser bench" }, { uid: true })) || [];
    if (left.length) await floor.messageDelete(left, { uid: true });
  } finally {
    lock.release();
  }
  for (let n = 0; n < clicks; n++) await floor.append(FOLDER, freshMessage(n));
  const found = await floor.getMailboxLock(FOLDER);
  try {
    fresh.push(...((await floor.search({ subject: "Browser bench" }, { uid: true })) || []));
  } finally {
    found.release();
  }
  console.error(`[bench] ${fresh.length} fresh messages to open`);
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  // Message view (arrival order, newest first): one row per fresh message.
  await page.goto(`${BASE}/mail?folder=${FOLDER}&sort=arrival`);
  await page.waitForFunction(() => window.__bench.firstRow !== null);
  const list = page.getByRole("region", { name: "Messages", exact: true });
  const clickAndWait = async (subject, prefetched) => {
    const target = list.getByRole("button", { name: new RegExp(`${subject}\\s*(,|$)`) });
    if (prefetched) {
      const done = page.waitForResponse((r) => /\/api\/messages\/\d+\?/.test(r.url()) && r.request().method() === "GET");
      await target.hover();
      await (await done).finished();
    } else {
      // Straight from elsewhere: no rest on the row, so nothing is fetched ahead.
      await page.mouse.move(5, 5);
    }
    await target.click({ delay: 0 });
    await page.waitForFunction(() => window.__bench.body !== null);
    const ms = await page.evaluate(() => window.__bench.body - window.__bench.clickAt);
    // Back to the list for the next click (and the frame of this one gone): the URL holds the open message.
    await page.evaluate(() => history.back());
    await page.waitForFunction(() => !document.querySelector("iframe"));
    return ms;
  };
  let next = clicks;
  const floorOpen = async (uid) => {
    const l = await floor.getMailboxLock(FOLDER);
    try {
      await floor.fetchOne(String(uid), { uid: true, flags: true, envelope: true, bodyStructure: true }, { uid: true });
      const { content } = await floor.download(String(uid), "2", { uid: true });
      for await (const _ of content);
    } finally {
      l.release();
    }
  };
  const coldApp = await timeRuns(() => clickAndWait(`Browser bench ${--next}`, false));
  const prefetchedApp = await timeRuns(() => clickAndWait(`Browser bench ${--next}`, true));
  const floorMs = await timeRuns((i) => floorOpen(fresh[(i + fresh.length) % fresh.length]));
  row("click → body painted (cold)", coldApp, floorMs);
  row("click → body painted (prefetched)", prefetchedApp, floorMs);
  await page.close();

  // The mail view's first visit: every script it loads, brotli-compressed, in an empty HTTP cache.
  const visit = await browser.newContext({ storageState: await context.storageState() });
  const tab = await visit.newPage();
  const scripts = new Map();
  tab.on("response", (r) => {
    if (r.request().resourceType() === "script" && r.ok()) scripts.set(r.url(), r.body());
  });
  await tab.goto(`${BASE}/mail`);
  await tab.getByRole("region", { name: "Messages", exact: true }).getByRole("listitem").first().waitFor();
  await tab.waitForLoadState("networkidle").catch(() => undefined);
  let bytes = 0;
  for (const body of scripts.values()) bytes += brotliCompressSync(await body).length;
  await visit.close();

  console.log(`\nLetterbox browser benchmark — ${COUNT.toLocaleString()} messages in ${FOLDER}, headless Chromium 1440×900, medians of ${RUNS} runs (after one warm-up)\n`);
  console.log("operation".padEnd(36) + "app".padStart(12) + "imapflow floor".padStart(16) + "ratio".padStart(9));
  for (const r of rows) {
    const ratio = r.floor > 0 ? `${(r.app / r.floor).toFixed(2)}×` : "–";
    console.log(r.name.padEnd(36) + `${r.app.toFixed(1)} ${r.unit}`.padStart(12) + `${r.floor.toFixed(1)} ${r.unit}`.padStart(16) + ratio.padStart(9));
  }
  console.log(`mail view, first visit: ${scripts.size} scripts, ${(bytes / 1000).toFixed(1)} kB brotli (budget 150 kB)`);
  console.log("(The floors: navigation — the folder's first page by date on an open connection; click — the message's headers, structure and text part.)");
} finally {
  if (fresh.length) {
    const l = await floor.getMailboxLock(FOLDER).catch(() => null);
    if (l) {
      await floor.messageDelete(fresh, { uid: true }).catch(() => undefined);
      l.release();
    }
  }
  await floor.logout().catch(() => undefined);
  await browser.close();
  app.kill("SIGTERM");
}
