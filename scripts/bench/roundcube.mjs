// npm run bench, Letterbox beside Roundcube (issue 14: "the Inbox page's first rows in a tenth of
// Roundcube's time, and a click on a message painted in under a third"). Both apps in one headless
// Chromium, on the same Dovecot and the same 100,000-message folder, their runs interleaved so that
// whatever else the machine does falls on both alike:
//   - navigation in a new tab to the folder until its first row's frame is done,
//   - a click on a row until the message's body is painted (a fresh message each run: cold).
// Medians of BENCH_RUNS runs after one warm-up. Roundcube is Debian's, served by
// scripts/roundcube/roundcube.sh (its env: ROUNDCUBE_URL, ROUNDCUBE_SERVER); BENCH_ONLY=roundcube
// runs this part alone. Letterbox is measured as browser.mjs measures it (letterbox-browser.mjs).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  BENCH_PORT,
  COUNT,
  FOLDER,
  RUNS,
  USER,
  ensureFolder,
  imapClient,
  median,
  startApp,
  stopApp,
} from "./common.mjs";
import {
  appApi,
  clickToBody,
  firstRowAfterNavigation,
  freshMessage,
  launchChromium,
  PROBE,
  signedInContext,
  VIEWPORT,
} from "./letterbox-browser.mjs";

const ROUNDCUBE = process.env.ROUNDCUBE_URL ?? "http://127.0.0.1:3950";
const SERVED_BY = process.env.ROUNDCUBE_SERVER ?? "unknown (ROUNDCUBE_SERVER not set)";
const PORT = Number(process.env.BENCH_ROUNDCUBE_APP_PORT ?? BENCH_PORT + 3);
const BASE = `http://127.0.0.1:${PORT}`;
// The fresh messages' subject: not browser.mjs's, which deletes its own left-overs at its start.
const SUBJECT = "Roundcube bench";
// The targets, Letterbox ÷ Roundcube.
const TARGET_FIRST_ROW = 0.1;
const TARGET_CLICK = 0.33;

// Roundcube's page, in every frame before anything else. Its markup cannot carry our marks, so the
// first row is found by Roundcube's own (Elastic) list: table#messagelist, rows tr.message, which
// it fills from an AJAX request after the page has loaded. The same frame-done stamp as PROBE's:
// requestAnimationFrame, then a posted message, which runs after that frame's paint. The subject of
// the first row is given an elementtiming attribute the moment the row is inserted (before its
// first paint), so the browser's Element Timing stamps the row on screen, as Letterbox's list
// marks its own. After a click, the body: Roundcube loads the message into its preview frame
// (iframe#messagecontframe, the whole page for ?_action=preview); in that frame, the moment
// #messagebody holds text, its frame done, on the top page's clock. The frame's load event is kept
// too: it is PROBE's reading for Letterbox's body frame, but Roundcube's frame also loads the
// sender's picture (another PHP request) before it fires.
const ROUNDCUBE_PROBE = () => {
  const w = window;
  const afterPaint = (cb) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => cb(performance.now());
      channel.port2.postMessage(0);
    });
  if (w !== w.top) {
    if (!/[?&]_action=preview\b/.test(location.search)) return;
    let bench;
    try {
      bench = w.top.__bench;
    } catch {
      return;
    }
    if (!bench || bench.clickAt === null) return;
    const bodyObserver = new MutationObserver(() => {
      if (!document.querySelector("#messagebody")?.textContent.trim()) return;
      bodyObserver.disconnect();
      afterPaint((t) => (bench.bodyText ??= performance.timeOrigin + t - w.top.performance.timeOrigin));
    });
    bodyObserver.observe(document, { childList: true, subtree: true, characterData: true });
    return;
  }
  w.__bench = { firstRow: null, firstRowShown: null, clickAt: null, bodyText: null, frameLoaded: null };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        if (e.identifier === "first-row" && w.__bench.firstRowShown === null)
          w.__bench.firstRowShown = e.renderTime || e.loadTime;
    }).observe({ type: "element", buffered: true });
  } catch {}
  const rowObserver = new MutationObserver(() => {
    if (w.__bench.firstRow !== null) return;
    const row = document.querySelector("#messagelist tbody tr.message");
    if (!row) return;
    rowObserver.disconnect();
    row.querySelector("td.subject span.subject")?.setAttribute("elementtiming", "first-row");
    afterPaint((t) => (w.__bench.firstRow = t));
  });
  rowObserver.observe(document, { childList: true, subtree: true });
  document.addEventListener(
    "pointerdown",
    () => {
      w.__bench.clickAt = performance.now();
      w.__bench.bodyText = null;
      w.__bench.frameLoaded = null;
    },
    true,
  );
  document.addEventListener(
    "load",
    (event) => {
      const frame = event.target;
      if (
        !(frame instanceof HTMLIFrameElement) ||
        frame.id !== "messagecontframe" ||
        w.__bench.clickAt === null
      )
        return;
      // Roundcube puts a blank page in the frame when nothing is selected: only a message counts.
      if (!/[?&]_action=preview\b/.test(frame.contentWindow?.location.search ?? "")) return;
      afterPaint((t) => (w.__bench.frameLoaded ??= t));
    },
    true,
  );
};

async function roundcubeContext(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(`${ROUNDCUBE}/?_task=login`);
  await page.fill("#rcmloginuser", USER.login);
  await page.fill("#rcmloginpwd", USER.password);
  await page.click("#rcmloginsubmit");
  await page.waitForURL(/_task=mail/);
  await page.close();
  return context;
}

const roundcubeFolderUrl = () => `${ROUNDCUBE}/?_task=mail&_mbox=${encodeURIComponent(FOLDER)}`;

/** Roundcube: a new tab to the folder, [first row's frame done, the row on screen], from the navigation's start. */
async function roundcubeFirstRow(context) {
  const page = await context.newPage();
  await page.addInitScript(ROUNDCUBE_PROBE);
  await page.goto(roundcubeFolderUrl());
  // Roundcube answers a failed IMAP command with a message in its stack, not an error status.
  await page.waitForFunction(
    () => window.__bench.firstRow !== null || document.querySelector("#messagestack .error"),
    null,
    { timeout: 120_000 },
  );
  const failed = await page.evaluate(() => document.querySelector("#messagestack .error")?.textContent);
  if (failed) throw new Error(`Roundcube: ${failed} (see its errors.log under ROUNDCUBE_STATE_DIR/logs)`);
  // Element Timing reports within a frame or two of the paint; a browser without it gives none.
  await page
    .waitForFunction(() => window.__bench.firstRowShown !== null, null, { timeout: 2000 })
    .catch(() => undefined);
  // Where its time goes: the page's HTML (PHP), its scripts run, then the list's request (PHP again).
  const times = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0];
    const list = performance.getEntriesByType("resource").find((r) => /[?&]_action=list\b/.test(r.name));
    return [
      window.__bench.firstRow,
      window.__bench.firstRowShown,
      n.responseStart,
      n.domContentLoadedEventEnd,
      list?.startTime,
      list?.responseEnd,
    ];
  });
  await page.close();
  return times;
}

/** Roundcube: a click on the row of `subject` to [its body's text painted, the preview frame loaded], from the click. */
async function roundcubeClick(page, subject) {
  const row = page
    .locator("#messagelist tbody tr.message")
    .filter({ has: page.locator("td.subject span.subject a span", { hasText: new RegExp(`^${subject}$`) }) });
  await page.mouse.move(5, 5);
  await row.click({ delay: 0 });
  await page.waitForFunction(
    () => window.__bench.bodyText !== null && window.__bench.frameLoaded !== null,
    null,
    { timeout: 60_000 },
  );
  return page.evaluate(() => [
    window.__bench.bodyText - window.__bench.clickAt,
    window.__bench.frameLoaded - window.__bench.clickAt,
  ]);
}

/** Runs `steps` (async functions giving a number or [numbers]) one after another, one warm-up and RUNS times; medians of each. */
async function interleaved(steps) {
  const results = steps.map(() => []);
  for (let i = -1; i < RUNS; i++) {
    for (const [k, step] of steps.entries()) {
      const r = await step(i);
      if (i >= 0) results[k].push([r].flat());
    }
  }
  return results.map((runs) =>
    runs[0].map((_, j) => median(runs.map((r) => r[j]).filter((v) => v !== null && v !== undefined))),
  );
}

await ensureFolder();
// A store of its own, as browser.mjs has: the setting switched here stays out of any other store.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "letterbox-bench-roundcube-"));
const app = await startApp(PORT, { LETTERBOX_DATA_DIR: dataDir, LETTERBOX_REDIS_URL: undefined });
const browser = await launchChromium();
// Connected only for the clicks' fresh messages: alice's connections from 127.0.0.1 are few
// (Dovecot's mail_max_userip_connections) and the app's pool needs them during the navigations.
const imap = imapClient();
const fresh = [];
try {
  const letterbox = await signedInContext(browser, BASE);
  const roundcube = await roundcubeContext(browser);
  const api = await appApi(letterbox, BASE);
  // Roundcube's list has no threads by default; Letterbox's message list is the same view.
  await api("/api/settings", { method: "PUT", body: JSON.stringify({ conversations: false }) });

  console.error("[bench] navigation, Letterbox and Roundcube in turn");
  const folderUrl = `${BASE}/mail?folder=${encodeURIComponent(FOLDER)}`;
  const [byDate, byArrival, rcNav] = await interleaved([
    () => firstRowAfterNavigation(letterbox, folderUrl),
    () => firstRowAfterNavigation(letterbox, `${folderUrl}&sort=arrival`),
    () => roundcubeFirstRow(roundcube),
  ]);

  // Clicks: fresh messages, newest first, so each is near the top of both lists (Roundcube lists
  // in arrival order by default, Letterbox's tab here too); even ones for Letterbox, odd for
  // Roundcube, one per run and warm-up each.
  const clicks = 2 * (RUNS + 1);
  await imap.connect();
  const lock = await imap.getMailboxLock(FOLDER);
  try {
    // Left by a run that was interrupted: their subjects would be found twice.
    const left = (await imap.search({ subject: SUBJECT }, { uid: true })) || [];
    if (left.length) await imap.messageDelete(left, { uid: true });
  } finally {
    lock.release();
  }
  for (let n = 0; n < clicks; n++) await imap.append(FOLDER, freshMessage(n, SUBJECT));
  const found = await imap.getMailboxLock(FOLDER);
  try {
    fresh.push(...((await imap.search({ subject: SUBJECT }, { uid: true })) || []));
  } finally {
    found.release();
  }
  if (fresh.length !== clicks) throw new Error(`expected ${clicks} fresh messages, found ${fresh.length}`);
  console.error(`[bench] clicks on ${clicks} fresh messages, Letterbox and Roundcube in turn`);
  const lbPage = await letterbox.newPage();
  await lbPage.addInitScript(PROBE);
  await lbPage.goto(`${folderUrl}&sort=arrival`);
  await lbPage.waitForFunction(() => window.__bench.firstRow !== null);
  const rcPage = await roundcube.newPage();
  await rcPage.addInitScript(ROUNDCUBE_PROBE);
  await rcPage.goto(roundcubeFolderUrl());
  await rcPage.waitForFunction(() => window.__bench.firstRow !== null);
  let lbWaited = "";
  const [lbClick, rcClick] = await interleaved([
    async (i) => {
      const r = await clickToBody(lbPage, `${SUBJECT} ${clicks - 2 * (i + 2)}`, false);
      lbWaited = r.waitedFor;
      return r.ms;
    },
    // Roundcube waits 400 ms instead of 60 before it loads a row selected within 400 ms of the
    // last (program/js/app.js, msglist_select): Letterbox's click in between keeps them apart.
    (i) => roundcubeClick(rcPage, `${SUBJECT} ${clicks - 2 * (i + 2) + 1}`),
  ]);
  await lbPage.close();
  await rcPage.close();

  const table = [
    ["navigation → first row (frame done)", rcNav[0], byDate[0], TARGET_FIRST_ROW],
    ["  … Letterbox in arrival order, as Roundcube", rcNav[0], byArrival[0], TARGET_FIRST_ROW],
    ["  … the row on screen (Element Timing)", rcNav[1], byDate[1], TARGET_FIRST_ROW],
    ["click → body painted (cold)", rcClick[0], lbClick[0], TARGET_CLICK],
  ];
  const fmt = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : "–");
  console.log(
    `\nLetterbox beside Roundcube — ${COUNT.toLocaleString()} messages in ${FOLDER}, one headless Chromium 1440×900, runs interleaved, medians of ${RUNS} runs (after one warm-up)`,
  );
  console.log(`Roundcube: ${SERVED_BY}, ${ROUNDCUBE}; Letterbox: next start (production build), ${BASE}\n`);
  console.log(
    "operation".padEnd(48) +
      "Roundcube".padStart(12) +
      "Letterbox".padStart(12) +
      "LB ÷ RC".padStart(10) +
      "target".padStart(10) +
      "  met",
  );
  for (const [name, rc, lb, target] of table) {
    const ratio = Number.isFinite(rc) && Number.isFinite(lb) && rc > 0 ? lb / rc : null;
    console.log(
      name.padEnd(48) +
        fmt(rc).padStart(12) +
        fmt(lb).padStart(12) +
        (ratio === null ? "–" : `${ratio.toFixed(2)}×`).padStart(10) +
        `≤ ${target}×`.padStart(10) +
        `  ${ratio === null ? "–" : ratio <= target ? "yes" : "no"}`,
    );
  }
  console.log(
    `Roundcube's navigation (medians, from its start): HTML first byte ${fmt(rcNav[2])}, DOMContentLoaded ${fmt(rcNav[3])}, ` +
      `the list's request ${fmt(rcNav[4])} – ${fmt(rcNav[5])}, first row's frame done ${fmt(rcNav[0])}`,
  );
  console.log(
    `Roundcube's click, read as Letterbox's is (its preview frame's load event, then frame done): ${fmt(rcClick[1])}`,
  );
  console.log(`Letterbox's last click, from the click: ${lbWaited}`);
  console.log(
    "(Each app's default list without threads: Letterbox's message list by date (UID SORT), Roundcube's in arrival order (no sort). " +
      "First row: from the navigation's start, a new tab each run, to the frame that painted it. Click: from the pointer going down to the frame that painted the body's text; " +
      "Roundcube waits 60 ms after a click before it asks for the message (a double click's chance), which is counted, as a user waits for it too.)",
  );
  console.log(
    `Targets (issue 14): first rows ≤ ${TARGET_FIRST_ROW}× Roundcube's time; a click on a message painted ≤ ${TARGET_CLICK}×.`,
  );
} finally {
  if (fresh.length) {
    const l = await imap.getMailboxLock(FOLDER).catch(() => null);
    if (l) {
      await imap.messageDelete(fresh, { uid: true }).catch(() => undefined);
      l.release();
    }
  }
  await imap.logout().catch(() => undefined);
  await browser.close();
  await stopApp(app);
  rmSync(dataDir, { recursive: true, force: true });
}
