import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { png } from "../tests/support/images";
import { signIn, USERS } from "./compose-support";
import { rawClient } from "./imap";

// Issue 13: remote images, once the reader allows them for a message, come through the app's image
// proxy. The "sender's server" is a listener on loopback, which the proxy reaches only because the
// test app names 127.0.0.1 in LETTERBOX_PROXY_ALLOW_HOSTS (playwright.config.ts); the same listener
// under the name "localhost" is not named, and stays unreached.
const BOB = USERS.bob;
const run = randomBytes(3).toString("hex");
const FOLDER = `Proxy ${run}`;
const SUBJECT = `Remote images ${run}`;

test("allowed remote images load through the signed proxy, which the browser cannot bend", async ({ page, baseURL }) => {
  const hits: { url: string; headers: http.IncomingHttpHeaders }[] = [];
  const listener = http.createServer((request, response) => {
    hits.push({ url: request.url ?? "", headers: request.headers });
    const path = new URL(request.url ?? "/", "http://x").pathname;
    if (path === "/one.png") {
      response.writeHead(200, { "Content-Type": "image/png" });
      return response.end(png(1, 1, [255, 0, 0]));
    }
    if (path === "/page.png") {
      response.writeHead(200, { "Content-Type": "image/png" });
      return response.end("<!doctype html><script>top.__proxied = 1</script>");
    }
    response.writeHead(200, { "Content-Type": "image/png" });
    response.end(png(3, 2));
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const port = (listener.address() as AddressInfo).port;
  const html = [
    `<p>Photos</p>`,
    `<img alt="photo" src="http://127.0.0.1:${port}/photo.png?id=7&amp;utm_source=mail&amp;utm_campaign=x">`,
    `<img alt="by name" src="http://localhost:${port}/by-name.png">`,
    `<img alt="pixel" src="http://127.0.0.1:${port}/one.png">`,
    `<img alt="known tracker" src="http://127.0.0.1:${port}/track/open.php?u=1">`,
    `<img alt="declared pixel" width="1" height="1" src="http://127.0.0.1:${port}/declared.png">`,
    `<img alt="lie" src="http://127.0.0.1:${port}/page.png">`,
    `<a href="https://shop.example/item?id=3&amp;utm_medium=email">Shop</a>`,
  ].join("\n");
  const raw = [
    "From: Sender <news@example.test>",
    `To: ${BOB.email}`,
    `Subject: ${SUBJECT}`,
    `Message-ID: <proxy-${run}@example.test>`,
    "MIME-Version: 1.0",
    "Content-Type: text/html; charset=utf-8",
    "",
    html,
    "",
  ].join("\r\n");

  const imap = await rawClient(BOB);
  let uid = 0;
  let uidValidity = "";
  try {
    await imap.mailboxCreate(FOLDER);
    const appended = await imap.append(FOLDER, raw);
    uid = appended && appended.uid ? appended.uid : 0;
    const status = await imap.status(FOLDER, { uidValidity: true });
    uidValidity = String(status && status.uidValidity);
  } finally {
    await imap.logout();
  }

  try {
    const app = new URL(baseURL!).origin;
    const offOrigin: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).origin !== app && !r.url().startsWith("data:")) offOrigin.push(r.url());
    });
    await signIn(page, BOB);
    await page.goto(`/mail?${new URLSearchParams({ folder: FOLDER, uid: String(uid), uidValidity })}`);
    const reader = page.getByRole("region", { name: "Message", exact: true });
    await expect(reader.getByRole("heading", { name: SUBJECT })).toBeVisible();
    const frame = page.frameLocator('iframe[title="Message body"]');
    await expect(frame.getByText("Photos")).toBeVisible();
    // Before consent: nothing reaches the sender's server.
    expect(hits).toEqual([]);

    await reader.getByRole("button", { name: "Load remote content" }).click();
    const photo = frame.getByRole("img", { name: "photo", exact: true });
    await expect.poll(() => photo.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(3);
    const src = (await photo.getAttribute("src")) ?? "";
    expect(src.startsWith("/api/proxy?")).toBe(true);

    // The sender saw the server ask, with no tracking parameters, cookie, referrer or browser.
    await expect.poll(() => hits.map((h) => h.url)).toContain("/photo.png?id=7");
    for (const hit of hits) {
      expect(hit.headers.cookie).toBeUndefined();
      expect(hit.headers.referer).toBeUndefined();
      expect(hit.headers["user-agent"]).toBe("Letterbox-ImageProxy/1");
    }
    // The 1×1 image became a blank of ours; the declared 1×1 and the known open-tracking endpoint
    // were never asked for; the page
    // labelled image/png was refused; "localhost" is loopback without the allowlist's blessing.
    const pixel = frame.getByRole("img", { name: "pixel", exact: true });
    await expect.poll(() => pixel.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(1);
    const lie = frame.getByRole("img", { name: "lie", exact: true });
    await expect.poll(() => lie.evaluate((i: HTMLImageElement) => i.complete)).toBe(true);
    expect(await lie.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(0);
    const byName = frame.getByRole("img", { name: "by name", exact: true });
    await expect.poll(() => byName.evaluate((i: HTMLImageElement) => i.complete)).toBe(true);
    expect(await byName.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(0);
    expect(hits.map((h) => h.url)).not.toContain("/by-name.png");
    expect(hits.map((h) => h.url)).not.toContain("/declared.png");
    expect(hits.map((h) => h.url).filter((u) => u.startsWith("/track/"))).toEqual([]);
    expect(await frame.getByRole("link", { name: "Shop" }).getAttribute("href")).toBe("https://shop.example/item?id=3");
    expect(await page.evaluate(() => (window as unknown as { __proxied?: number }).__proxied)).toBeUndefined();
    // Every request of the browser stayed on the app's origin.
    expect(offOrigin).toEqual([]);

    // The answer is the image, and only the image.
    const image = await page.request.get(src);
    expect(image.status()).toBe(200);
    expect(image.headers()["content-type"]).toBe("image/png");
    expect(image.headers()["x-content-type-options"]).toBe("nosniff");
    expect(image.headers()["content-security-policy"]).toContain("sandbox");

    // The signature binds the URL: another URL, or a changed signature, is refused before any fetch.
    const signed = new URL(src, app);
    const before = hits.length;
    const forged = new URL(signed);
    forged.searchParams.set("url", "http://169.254.169.254/latest/meta-data/");
    expect((await page.request.get(forged.pathname + forged.search)).status()).toBe(403);
    const retargeted = new URL(signed);
    retargeted.searchParams.set("url", `http://127.0.0.1:${port}/other.png`);
    const refused = await page.request.get(retargeted.pathname + retargeted.search);
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("IMAGE_LINK_INVALID");
    const tampered = new URL(signed);
    tampered.searchParams.set("sig", `${signed.searchParams.get("sig")!.slice(0, -2)}xx`);
    expect((await page.request.get(tampered.pathname + tampered.search)).status()).toBe(403);
    expect(hits.length).toBe(before);

    // …and binds the login: another user's session gets the same link refused; no session, 401.
    const other = await page.context().browser()!.newContext({ baseURL });
    const otherPage = await other.newPage();
    await signIn(otherPage, USERS.carol);
    const foreign = await otherPage.request.get(src);
    expect(foreign.status()).toBe(403);
    await other.close();
    const anonymous = await page.context().browser()!.newContext({ baseURL });
    expect((await anonymous.request.get(src)).status()).toBe(401);
    await anonymous.close();
    expect(hits.length).toBe(before);
  } finally {
    listener.closeAllConnections();
    await new Promise((resolve) => listener.close(resolve));
    const cleanup = await rawClient(BOB);
    await cleanup.mailboxDelete(FOLDER).catch(() => undefined);
    await cleanup.logout();
  }
});
