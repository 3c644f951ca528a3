// How the bench drives Letterbox in headless Chromium, shared by the browser part (browser.mjs) and
// the comparison with Roundcube (roundcube.mjs), so both measure the app the same way: Debian's
// Chromium at 1440×900, the in-page probe that stamps the first row's and a body's frame done, the
// sign-in, a navigation to the first row, and a click to the body painted.
import { readFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import { USER } from "./common.mjs";

// The e2e tests' flags (playwright.config.ts): one list, so both drive the same browser.
export const CHROMIUM_ARGS = JSON.parse(readFileSync(new URL("../lib/chromium-args.json", import.meta.url), "utf8"));
export const VIEWPORT = { width: 1440, height: 900 };

/** Debian's Chromium (a browser download does not work here), as the e2e tests launch it. */
export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

// A message of the usual kind (a few kB of HTML and its text alternative), new to the folder, so no
// cache of the app's has seen it: opening it is cold. Each part of the bench appends its own, with a
// subject of its own: one never finds (or deletes) another's.
export function freshMessage(n, subject = "Browser bench") {
  const boundary = `b${n}${Date.now()}`;
  const paragraphs = Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i + 1} of a message written for the browser benchmark, with <b>some</b> markup and a <a href="https://example.test/${i}">link</a>.</p>`).join("\n");
  return [
    "From: Bench Sender <sender@example.test>",
    `To: ${USER.login}`,
    `Subject: ${subject} ${n}`,
    `Date: ${new Date(Date.now() + n * 1000).toUTCString()}`,
    `Message-ID: <${subject.toLowerCase().replace(/\W+/g, "-")}-${n}-${Date.now()}@example.test>`,
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

// In the page, before anything else: when the first row of the list exists, the time its frame is
// done; when a reader's body frame has loaded, the time its frame is done. "Done" is a message posted
// from the frame's requestAnimationFrame: it runs after that frame's style, layout and paint (a rAF
// timestamp alone is the frame's start, before whatever long task delays the paint). Long tasks are
// collected to tell where a slow paint's time went.
export const PROBE = () => {
  const w = window;
  w.__bench = { firstRow: null, firstRowShown: null, body: null, clickAt: null, longTasks: [] };
  w.__afterPaint = (cb) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => cb(performance.now());
      channel.port2.postMessage(0);
    });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__bench.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  // When the first row was on screen: the browser's Element Timing of its subject (marked by the
  // list), stamped when the frame that painted it was presented — after the compositor's raster,
  // so later than the frame being done on the page's thread.
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.identifier === "first-row" && w.__bench.firstRowShown === null) w.__bench.firstRowShown = e.renderTime || e.loadTime;
    }).observe({ type: "element", buffered: true });
  } catch {}
  const rowObserver = new MutationObserver(() => {
    if (w.__bench.firstRow !== null) return;
    if (document.querySelector('ul[aria-label^="Messages in"] li [data-uid]')) {
      rowObserver.disconnect();
      w.__afterPaint((t) => (w.__bench.firstRow = t));
    }
  });
  rowObserver.observe(document, { childList: true, subtree: true });
  document.addEventListener("pointerdown", () => {
    w.__bench.clickAt = performance.now();
    w.__bench.body = null;
    // Only what follows the click is read back (and the buffer of 250 entries never fills).
    performance.clearResourceTimings();
  }, true);
  // Body frames load after the click; each load marks the frame that shows it (the reader's, by its
  // title) — once it is laid out.
  document.addEventListener("load", (event) => {
    const frame = event.target;
    if (!(frame instanceof HTMLIFrameElement) || frame.title !== "Message body" || w.__bench.clickAt === null) return;
    // A frame made before its document is there loads its empty one first: not the body.
    if (frame.contentDocument?.URL === "about:blank") return;
    const whenShown = () => (frame.getClientRects().length > 0 ? w.__afterPaint((t) => (w.__bench.body ??= t)) : requestAnimationFrame(whenShown));
    whenShown();
  }, true);
};

/** A browser context signed in to the app at `base` through its login form. */
export async function signedInContext(browser, base) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(USER.login);
  await page.getByLabel("Password").fill(USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/mail/);
  await page.close();
  return context;
}

/** The app's JSON API with the context's session (a mutating call carries the Origin it checks). */
export async function appApi(context, base) {
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  return async (path, init = {}) => {
    const r = await fetch(`${base}${path}`, { ...init, headers: { Cookie: cookie, Origin: base, "Content-Type": "application/json", ...init.headers } });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
}

/**
 * A navigation in a new tab to `url`, a mail page: [the first row's frame done, the row on screen
 * (Element Timing)], both from the navigation's start.
 */
export async function firstRowAfterNavigation(context, url) {
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await page.goto(url);
  // The warm-up may wait for the server's first THREAD of the folder (it builds its thread index).
  await page.waitForFunction(() => window.__bench.firstRow !== null && window.__bench.firstRowShown !== null, null, { timeout: 600_000 });
  const times = await page.evaluate(() => [window.__bench.firstRow, window.__bench.firstRowShown]);
  await page.close();
  return times;
}

/**
 * A click on the row of `subject` in the message list of `page` (which runs PROBE) to its body
 * painted in the reader; `prefetched` rests on the row first until what it fetches ahead has
 * arrived. Returns the time from the click and what the paint waited for; goes back to the list.
 */
export async function clickToBody(page, subject, prefetched) {
  const list = page.getByRole("region", { name: "Messages", exact: true });
  const target = list.getByRole("button", { name: new RegExp(`${subject}\\s*(,|$)`) });
  if (prefetched) {
    // Everything fetched ahead: the message's JSON, which carries its body's document.
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
  const waitedFor = await page.evaluate(() => {
    const at = window.__bench.clickAt;
    const parts = performance
      .getEntriesByType("resource")
      // What the paint waited for (the mark-read's PATCH, on the same URL, follows it).
      .filter((r) => r.startTime >= at - 1 && r.startTime < window.__bench.body && /\/api\/messages\/\d+/.test(r.name))
      .map((r) => `${new URL(r.name).pathname.replace(/^\/api\/messages\/\d+/, "message").replace(/^message$/, r.initiatorType === "fetch" ? "message JSON" : "message")}${r.transferSize === 0 && r.decodedBodySize > 0 ? " (browser cache)" : ""} ${(r.startTime - at).toFixed(0)}–${(r.responseEnd - at).toFixed(0)} ms`);
    const long = window.__bench.longTasks.filter(([start]) => start >= at && start < window.__bench.body);
    return `${parts.join(", ") || "no request"}; ${long.length} long tasks (${long.reduce((s, [, d]) => s + d, 0).toFixed(0)} ms)`;
  });
  // Back to the list for the next click (and the frame of this one gone): the URL holds the open
  // message, once its entry is written (after the message is in: use-mail-location.ts).
  await page.waitForFunction(() => /[?&]uid=/.test(location.search));
  await page.evaluate(() => history.back());
  await page.waitForFunction(() => !document.querySelector('iframe[title="Message body"]'));
  return { ms, waitedFor };
}
