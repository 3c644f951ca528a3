import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import http from "node:http";
import { expect, test, type Locator } from "@playwright/test";
import { hydrated, signIn, USERS } from "./compose-support";
import type { AddressInfo } from "node:net";
import { png } from "../tests/support/images";
import { buildHostileCorpus } from "./hostile-corpus";
import { rawClient } from "./imap";

// Issue 13: every message of the hostile corpus, appended to a folder of the real Dovecot, opened
// in the real browser on one page. No script may run (a canary any script would set, dialogs, the
// top window's location), no request may leave for another origin before the user allows remote
// content (a loopback listener counts them), headers and file names are text, and links open outside.
// Iris is this spec's alone: it runs beside the rest of the suite (playwright.config.ts).
const IRIS = USERS.iris;
const run = randomBytes(3).toString("hex");
const FOLDER = `Hostile ${run}`;

/**
 * Waits until the body frame `frame` holds its own document, loaded: the reader makes the frame
 * before the message arrives, and until its srcdoc document is in, the frame shows an empty one
 * that any check of the body would pass.
 */
async function bodyLoaded(frame: Locator): Promise<void> {
  await frame.waitFor({ state: "attached", timeout: 30_000 });
  await frame.evaluate(
    (f) =>
      new Promise<void>((resolve) => {
        const doc = (f as HTMLIFrameElement).contentDocument;
        if (doc && doc.readyState === "complete" && doc.URL === "about:srcdoc") resolve();
        else f.addEventListener("load", () => resolve(), { once: true });
      }),
  );
}

test("the hostile corpus runs no script and fetches nothing remote before consent", async ({ page, baseURL }) => {
  // 131 messages opened one by one: about 3 minutes on an idle 2-core machine, 7.5 at a load of 23
  // (2026-12-03, several checkouts testing side by side), which the former 5-minute limit cut off.
  test.setTimeout(600_000);

  // The canary listener: any request a message makes to "the internet" lands here. Allowed images
  // come through the app's image proxy, which refuses loopback unless the test allowlist names it
  // (playwright.config.ts: LETTERBOX_PROXY_ALLOW_HOSTS=127.0.0.1).
  const hits: string[] = [];
  const leaks: string[] = [];
  const listener = http.createServer((request, response) => {
    hits.push(request.url ?? "");
    // What reached the sender's server must say nothing about the reader.
    const h = request.headers;
    if (h.cookie || h.referer || h["user-agent"] !== "Letterbox-ImageProxy/1") leaks.push(`${request.url}: ${JSON.stringify(h)}`);
    // A 2×2 image, so an allowed image really loads (a 1×1 one would be taken for a tracking pixel).
    response.writeHead(200, { "Content-Type": "image/png" });
    response.end(png(2, 2));
  });
  // Any free port: the corpus is written for wherever the listener ended up.
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const corpus = buildHostileCorpus(`H13 ${run}`, (listener.address() as AddressInfo).port);
  expect(corpus.length).toBeGreaterThanOrEqual(100);

  const raw = await rawClient(IRIS);
  const uids = new Map<string, number>();
  let uidValidity = "";
  try {
    await raw.mailboxCreate(FOLDER);
    for (const m of corpus) {
      const appended = await raw.append(FOLDER, m.raw);
      if (!appended || !appended.uid) throw new Error(`no APPENDUID for ${m.id}`);
      uids.set(m.id, appended.uid);
    }
    const status = await raw.status(FOLDER, { uidValidity: true });
    uidValidity = String(status && status.uidValidity);
  } finally {
    await raw.logout();
  }

  try {
    const app = new URL(baseURL!).origin;
    const offOrigin: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).origin !== app && !r.url().startsWith("data:")) offOrigin.push(r.url());
    });
    let dialogs = 0;
    page.on("dialog", (d) => {
      dialogs += 1;
      void d.dismiss();
    });

    await signIn(page, IRIS, { emptyInbox: true });
    await page.goto(`/mail?${new URLSearchParams({ folder: FOLDER })}`);
    await expect(page.getByRole("list", { name: `Messages in ${FOLDER}` })).toBeVisible({ timeout: 30_000 });
    // The rows are in the server's HTML: only once React has hydrated does the app follow history
    // changes; a pushState before that is lost.
    await hydrated(page);
    const reader = page.getByRole("region", { name: "Message", exact: true });
    const executed: string[] = [];
    const failures: string[] = [];

    const open = async (id: string) => {
      const url = `/mail?${new URLSearchParams({ folder: FOLDER, uid: String(uids.get(id)), uidValidity })}`;
      // The app follows the history API: one page, no reload, so a canary set by any message stays set.
      await page.evaluate((href) => window.history.pushState(null, "", href), url);
    };
    const canarySet = async () => {
      const top = await page.evaluate(() => (window as unknown as { __h13?: number }).__h13 !== undefined);
      const frames = await Promise.all(
        page.frames().map((f) => f.evaluate(() => (window as unknown as { __h13?: number }).__h13 !== undefined).catch(() => false)),
      );
      return top || frames.some(Boolean);
    };

    const offersConsent = new Set<string>();
    for (const m of corpus) {
      await open(m.id);
      // Headers are text: the subject reads back exactly, markup and all. waitFor() watches the page
      // for the change, where expect()'s retries back off to half a second: 131 messages times that.
      await reader.getByRole("heading", { name: m.subject, exact: true }).waitFor({ timeout: 30_000 });
      await bodyLoaded(page.locator('iframe[title="Message body"][srcdoc]'));
      const body = page.frameLocator('iframe[title="Message body"]').locator("body");

      // Rendered with the heading, from the same answer: whether this one holds remote content back.
      if ((await reader.getByRole("button", { name: "Load remote content" }).count()) > 0) offersConsent.add(m.id);
      // A sender name or file name that decodes to markup is shown as that text, never as markup.
      for (const text of m.shown ?? []) {
        const shown = await reader
          .getByText(text)
          .first()
          .waitFor({ timeout: 10_000 })
          .then(() => true, () => false);
        if (!shown) failures.push(`${m.id} ${m.kind}: does not show ${JSON.stringify(text)} as text`);
      }

      if (await canarySet()) executed.push(`${m.id} ${m.kind}`);
      expect(new URL(page.url()).origin, `top window left the app after ${m.id}`).toBe(app);
      expect(new URL(page.url()).pathname).toBe("/mail");
      // Nothing of the message became markup of the app's own page.
      const handlers = await page.evaluate(() =>
        [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
      );
      if (handlers > 0) failures.push(`${m.id}: ${handlers} element(s) with event handlers in the app's page`);
      // Links open outside, without opener or referrer.
      const links = await body.locator("a[href]").evaluateAll((as) =>
        as.map((a) => ({ href: a.getAttribute("href") ?? "", target: a.getAttribute("target"), rel: a.getAttribute("rel") })),
      );
      for (const link of links) {
        if (link.href.startsWith("#")) continue;
        if (link.target !== "_blank" || link.rel !== "noopener noreferrer") failures.push(`${m.id}: link ${JSON.stringify(link)}`);
        if (!/^(https?:|mailto:|tel:)/i.test(link.href)) failures.push(`${m.id}: link scheme ${link.href}`);
      }
      if (hits.length > 0 || offOrigin.length > 0) failures.push(`${m.id} ${m.kind}: remote before consent ${[...hits, ...offOrigin].join(" ")}`);
    }
    const remoteBeforeConsent = hits.length + offOrigin.length;
    const dialogsBeforeConsent = dialogs;

    // With consent, images load — and scripts still never run.
    const withImages = corpus.filter((m) => m.remoteImage);
    for (const m of withImages) {
      await open(m.id);
      await expect(reader.getByRole("heading", { name: m.subject, exact: true })).toBeVisible();
      await reader.getByRole("button", { name: "Load remote content" }).click();
      await expect.poll(() => hits.some((h) => h.includes(`/r/${m.id}`)), { message: `${m.id} loads its image` }).toBe(true);
      // …through the proxy, and the browser draws it: the frame's image is the app's URL, 2×2.
      const images = page.frameLocator('iframe[title="Message body"]').locator("img");
      const shown = () =>
        images.evaluateAll((imgs) =>
          imgs.filter((i) => (i as HTMLImageElement).naturalWidth === 2 && (i as HTMLImageElement).currentSrc.includes("/api/proxy?")).length,
        );
      await expect.poll(shown, { message: `${m.id} shows its image through the proxy` }).toBeGreaterThan(0);
      if (await canarySet()) executed.push(`${m.id} ${m.kind} (remote allowed)`);
    }

    // Consent is not a way in either: every other message that offers "Load remote content" gets
    // it, and still runs nothing (what it may then load, only images through the proxy, is held
    // by offOrigin and the listener's header check below).
    let consentedOthers = 0;
    for (const m of corpus.filter((x) => !x.remoteImage && offersConsent.has(x.id))) {
      await open(m.id);
      await reader.getByRole("heading", { name: m.subject, exact: true }).waitFor({ timeout: 30_000 });
      const button = reader.getByRole("button", { name: "Load remote content" });
      await button.click();
      // The body frame is made anew with the remote=1 body; its scripts, if any ran, ran before its load.
      await bodyLoaded(page.locator('iframe[title="Message body"][data-remote-content="allowed"]'));
      consentedOthers += 1;
      if (await canarySet()) executed.push(`${m.id} ${m.kind} (remote allowed)`);
    }

    const summary = {
      messages: corpus.length,
      kinds: [...new Set(corpus.map((m) => m.kind))].length,
      executed: executed.length + dialogs,
      dialogs,
      remoteRequestsBeforeConsent: remoteBeforeConsent,
      remoteImagesLoadedAfterConsent: withImages.filter((m) => hits.some((h) => h.includes(`/r/${m.id}`))).length,
      // Messages opened again with remote content allowed, beyond the image ones.
      consentedOthers,
      // After consent too: every remote image came through the proxy, none from the browser.
      browserRequestsToOtherOrigins: offOrigin.length,
    };
    console.info(`[hostile] ${JSON.stringify(summary)}`);
    writeFileSync(test.info().outputPath("hostile-summary.json"), JSON.stringify(summary, null, 2));
    expect(failures).toEqual([]);
    expect(executed).toEqual([]);
    expect(dialogsBeforeConsent).toBe(0);
    expect(dialogs).toBe(0);
    expect(remoteBeforeConsent).toBe(0);
    expect(offOrigin).toEqual([]);
    // The consent pass is not empty. Most remote references are dropped outright (scripts, frames,
    // links, media), not held back: 8 messages beside the image ones offered consent on 2026-12-04.
    expect(consentedOthers).toBeGreaterThanOrEqual(5);
    expect(leaks).toEqual([]);
  } finally {
    await new Promise((resolve) => listener.close(resolve));
    const cleanup = await rawClient(IRIS);
    await cleanup.mailboxDelete(FOLDER).catch(() => undefined);
    await cleanup.logout();
  }
});
