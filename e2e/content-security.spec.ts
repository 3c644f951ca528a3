import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { signIn, USERS } from "./compose-support";
import { rawClient } from "./imap";

// Issue 13: the app's own pages carry a Content-Security-Policy with a fresh nonce per request, and
// every response carries the usual headers. Using the app breaks none of it: no violation is
// reported while signing in, reading, composing, opening dialogs and Settings.

/** The directives of a policy, by name. */
function directives(policy: string | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (policy ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

/** The policy a body's frame document states for itself, in its <meta>. */
function policyOf(bodyDocument: string): string {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(bodyDocument);
  expect(meta, "the body document states no policy").not.toBeNull();
  return meta![1]!;
}

function expectUsualHeaders(headers: Record<string, string>, where: string) {
  expect(headers["x-content-type-options"], where).toBe("nosniff");
  expect(headers["referrer-policy"], where).toBe("no-referrer");
  expect(headers["permissions-policy"], where).toMatch(/camera=\(\)/);
  expect(headers["permissions-policy"], where).toMatch(/geolocation=\(\)/);
}

/** Checks a page's policy and returns its nonce. */
function expectPagePolicy(headers: Record<string, string>, where: string): string {
  expectUsualHeaders(headers, where);
  const csp = directives(headers["content-security-policy"]);
  const scripts = csp.get("script-src") ?? [];
  const nonce = scripts.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce, `${where}: a nonce in script-src`).toMatch(/^[A-Za-z0-9+/]{20,}={0,2}$/);
  expect(scripts, where).toContain("'strict-dynamic'");
  expect(scripts, where).not.toContain("'unsafe-eval'");
  expect(csp.get("object-src"), where).toEqual(["'none'"]);
  expect(csp.get("base-uri"), where).toEqual(["'none'"]);
  expect(csp.get("frame-ancestors"), where).toEqual(["'none'"]);
  return nonce!;
}

/** Records every CSP violation the page reports, in the page itself and on the console. */
async function watchViolations(page: Page) {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  await page.exposeFunction("__reportViolation", (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportViolation: (v: string) => void }).__reportViolation(
        `${location.pathname}: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sample})`,
      );
    });
  });
  return seen;
}

test("pages carry a nonce-based policy, fresh per request, on every script they render", async ({ page, request }) => {
  const seen = new Set<string>();
  for (const path of ["/login", "/no-such-page"]) {
    for (let i = 0; i < 2; i++) {
      const response = await request.get(path, { maxRedirects: 0 });
      const nonce = expectPagePolicy(response.headers(), path);
      expect(seen.has(nonce), `${path}: nonce reused`).toBe(false);
      seen.add(nonce);
      const html = await response.text();
      const tags = html.match(/<script\b[^>]*>/g) ?? [];
      // The sign-in page runs the theme script and Next's runtime: a page without scripts would
      // prove nothing.
      expect(tags.length, path).toBeGreaterThan(2);
      for (const tag of tags) expect(tag, `${path}: ${tag}`).toContain(`nonce="${nonce}"`);
    }
  }

  await signIn(page, USERS.alice);
  for (const path of ["/mail", "/settings"]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expectPagePolicy(response.headers(), path);
  }
});

test("API answers carry the usual headers and a policy that runs and frames nothing", async ({ page, request }) => {
  const anonymous = await request.get("/api/folders");
  expect(anonymous.status()).toBe(401);
  expectUsualHeaders(anonymous.headers(), "GET /api/folders without a session");
  expect(directives(anonymous.headers()["content-security-policy"]).get("default-src")).toEqual(["'none'"]);

  await signIn(page, USERS.alice);
  for (const path of ["/api/folders", "/api/messages?folder=INBOX", "/api/settings", "/api/auth/session"]) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(200);
    const headers = response.headers();
    expectUsualHeaders(headers, path);
    const csp = directives(headers["content-security-policy"]);
    expect(csp.get("default-src"), path).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors"), path).toEqual(["'none'"]);
  }

  // The message body comes inside the message's JSON (an API answer like the others), as the whole
  // document of the reader's frame, and that document states its own policy before anything else.
  const list = (await (await page.request.get("/api/messages?folder=INBOX&pageSize=200")).json()) as {
    uidValidity: string;
    messages: { uid: number; subject: string }[];
  };
  const first = list.messages[0]!;
  const opened = await page.request.get(`/api/messages/${first.uid}?folder=INBOX&uidValidity=${list.uidValidity}`);
  expect(opened.status()).toBe(200);
  expectUsualHeaders(opened.headers(), "the message");
  expect(directives(opened.headers()["content-security-policy"]).get("frame-ancestors")).toEqual(["'none'"]);
  const { bodyDocument } = (await opened.json()) as { bodyDocument: string };
  expect(bodyDocument.indexOf("Content-Security-Policy")).toBeLessThan(bodyDocument.indexOf("<style>"));
  const bodyPolicy = policyOf(bodyDocument);
  expect(directives(bodyPolicy).get("default-src")).toEqual(["'none'"]);
  expect(directives(bodyPolicy).get("script-src")).toEqual(["'none'"]);
  expect(directives(bodyPolicy).get("form-action")).toEqual(["'none'"]);

  // An attachment keeps its own policy too: `sandbox`, so a hostile HTML file opened directly is
  // an opaque origin with nothing to reach.
  const withFiles = list.messages.find((m) => m.subject === "Files for the offsite")!;
  const ref = `folder=INBOX&uidValidity=${list.uidValidity}`;
  const message = (await (await page.request.get(`/api/messages/${withFiles.uid}?${ref}`)).json()) as { attachments: { partId: string }[] };
  const part = await page.request.get(`/api/messages/${withFiles.uid}/parts/${message.attachments[0]!.partId}?${ref}`);
  expect(part.status()).toBe(200);
  expectUsualHeaders(part.headers(), "an attachment");
  expect(directives(part.headers()["content-security-policy"]).has("sandbox")).toBe(true);
});

test("using the app reports no policy violation, and a violation would be seen", async ({ page }) => {
  const violations = await watchViolations(page);
  await signIn(page, USERS.alice);

  // Read a message (the body frame), then the lazily loaded parts: composer, menus, dialogs.
  const list = page.getByRole("region", { name: "Messages", exact: true });
  await list.getByRole("listitem").first().getByRole("button").first().click();
  // The newest row may be a conversation (an earlier spec's reply): its reader is named so.
  const reader = page.getByRole("region", { name: /^(Message|Conversation)$/ });
  await expect(reader.getByRole("heading").first()).toBeVisible();
  await expect(reader.locator("iframe")).toBeVisible();

  await page.getByRole("button", { name: "Compose" }).click();
  const composer = page.getByRole("region", { name: "New message" });
  await composer.getByRole("textbox", { name: "Message" }).fill("Policy check");
  await composer.getByRole("button", { name: "Discard" }).click();

  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Keyboard shortcuts" }).click();
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings/);
  await expect(page.getByRole("heading", { name: "Settings" }).first()).toBeVisible();
  // A full load of a page, as after a bookmark: the theme script runs before React.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Settings" }).first()).toBeVisible();
  await page.goto("/mail");
  await expect(list.getByRole("listitem").first()).toBeVisible();

  expect(violations).toEqual([]);

  // The watch works: an inline event handler (markup that slipped into the page would bring one)
  // and a remote image are reported, and the handler never runs. (A <script> added by the test
  // itself would not do: code the test runs through the DevTools protocol is exempt from CSP.)
  await page.evaluate(() => {
    const broken = document.createElement("img");
    broken.setAttribute("onerror", "window.__injectedRan = true");
    broken.src = "data:image/png;base64,AAAA";
    document.body.append(broken);
    const img = document.createElement("img");
    img.src = "http://tracker.invalid/pixel.gif";
    document.body.append(img);
  });
  await expect.poll(() => violations.filter((v) => !v.startsWith("console:")).length).toBeGreaterThanOrEqual(2);
  expect(violations.join("\n")).toMatch(/script-src(-attr)? blocked inline/);
  expect(violations.join("\n")).toMatch(/img-src blocked http:\/\/tracker\.invalid/);
  expect(await page.evaluate(() => (window as unknown as { __injectedRan?: boolean }).__injectedRan)).toBeUndefined();
});

test("an HTML or SVG attachment is never a document of the app's origin, inline or downloaded", async ({ page }) => {
  // Roundcube's CVE-2026-54432 and CVE-2026-35539 class: an attachment whose own type is markup.
  const folder = `Markup attachments ${randomBytes(3).toString("hex")}`;
  const canary = "top.__h13=1;alert(1)";
  const b = "markup-boundary";
  const raw = [
    "From: Mallory <mallory@example.test>",
    "To: alice@example.test",
    "Subject: markup attachments",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${b}"`,
    "",
    `--${b}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "two attachments",
    `--${b}`,
    'Content-Type: text/html; charset=utf-8; name="page.html"',
    'Content-Disposition: attachment; filename="page.html"',
    "",
    `<!doctype html><script>${canary}</script><img src=x onerror="${canary}">`,
    `--${b}`,
    'Content-Type: image/svg+xml; name="drawing.svg"',
    'Content-Disposition: inline; filename="drawing.svg"',
    "",
    `<svg xmlns="http://www.w3.org/2000/svg" onload="${canary}"><script>${canary}</script></svg>`,
    `--${b}--`,
    "",
  ].join("\r\n");
  const imap = await rawClient(USERS.alice);
  try {
    await imap.mailboxCreate(folder);
    const appended = await imap.append(folder, raw);
    const status = await imap.status(folder, { uidValidity: true });
    const uid = appended && appended.uid;
    expect(uid).toBeGreaterThan(0);
    await signIn(page, USERS.alice);
    const ref = new URLSearchParams({ folder, uidValidity: String(status && status.uidValidity) });
    const message = (await (await page.request.get(`/api/messages/${uid}?${ref}&remote=0`)).json()) as {
      attachments: { partId: string; filename: string }[];
    };
    expect(message.attachments.map((a) => a.filename).sort()).toEqual(["drawing.svg", "page.html"]);
    for (const attachment of message.attachments) {
      for (const download of ["0", "1"]) {
        const url = `/api/messages/${uid}/parts/${encodeURIComponent(attachment.partId)}?${ref}&download=${download}`;
        const where = `${attachment.filename}, download=${download}`;
        const response = await page.request.get(url);
        expect(response.status(), where).toBe(200);
        const headers = response.headers();
        expect(headers["x-content-type-options"], where).toBe("nosniff");
        expect(directives(headers["content-security-policy"]).has("sandbox"), where).toBe(true);
        // Shown in place, markup is served as bytes to save, never as a type a browser renders.
        if (download === "0") expect(headers["content-type"], where).toBe("application/octet-stream");
        else expect(headers["content-disposition"], where).toMatch(/^attachment;/);
        // The browser agrees: opening the link saves a file, and no document of ours is made of it.
        const [saved] = await Promise.all([page.waitForEvent("download"), page.goto(url).catch(() => null)]);
        expect(saved.suggestedFilename(), where).toBe(attachment.filename);
        await saved.cancel();
      }
    }
    expect(new URL(page.url()).pathname).toBe("/mail");
    expect(await page.evaluate(() => (window as unknown as { __h13?: number }).__h13)).toBeUndefined();
  } finally {
    await imap.mailboxDelete(folder).catch(() => undefined);
    await imap.logout();
  }
});

test("each wall of the reader stops a script on its own: the frame's sandbox, and the body's policy", async ({ page }) => {
  // The hostile corpus shows the walls together; here each stands alone, with the sanitizer out of
  // the way: a document that does run script, framed in the app's page (1) with nothing, to show
  // the canary works, (2) with the reader's own sandbox attribute and no policy, (3) with the body
  // document's real policy and no sandbox.
  await signIn(page, USERS.alice);
  const list = page.getByRole("region", { name: "Messages", exact: true });
  await list.getByRole("listitem").first().getByRole("button").first().click();
  // The reader makes its frame, empty, while the message is on its way; it gets its document (its
  // srcdoc) with the message.
  const readerFrame = page.locator('iframe[title="Message body"][srcdoc]').first();
  await expect(readerFrame).toBeAttached();
  const sandbox = (await readerFrame.getAttribute("sandbox")) ?? "";
  expect(sandbox).not.toBe("");
  // The reader's frame has no URL of its own: its document, policy included, is its srcdoc.
  expect(await readerFrame.getAttribute("src")).toBeNull();
  const bodyPolicy = policyOf((await readerFrame.getAttribute("srcdoc")) ?? "");
  expect(directives(bodyPolicy).get("script-src")).toEqual(["'none'"]);

  const origin = new URL(page.url()).origin;
  // The policy wall as the reader's document states it: a <meta> at the top of its head (not a
  // header), on a document served from a URL so that the app page's own policy, which a srcdoc
  // would inherit, plays no part.
  const head = (wall: string) => (wall === "policy" ? `<head><meta http-equiv="Content-Security-Policy" content="${bodyPolicy}"></head>` : "");
  const hostile = (wall: string) =>
    `<!doctype html>${head(wall)}<body><script>top.__wall=(top.__wall||[]).concat("${wall}")</script>` +
    `<img src=x onerror="top.__wall=(top.__wall||[]).concat('${wall} handler')"></body>`;
  await page.route(`${origin}/__walls/**`, (route) => {
    const wall = new URL(route.request().url()).pathname.split("/").pop()!;
    return route.fulfill({ status: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: hostile(wall) });
  });
  const frame = (wall: string, sandboxed: string | null) =>
    page.evaluate(
      ([src, attr]) =>
        new Promise<void>((resolve) => {
          const f = document.createElement("iframe");
          if (attr !== null) f.setAttribute("sandbox", attr);
          f.addEventListener("load", () => resolve(), { once: true });
          f.src = src!;
          document.body.append(f);
        }),
      [`${origin}/__walls/${wall}`, sandboxed] as const,
    );
  const ran = () => page.evaluate(() => (window as unknown as { __wall?: string[] }).__wall ?? []);

  await frame("none", null);
  await expect.poll(ran).toEqual(expect.arrayContaining(["none", "none handler"]));
  await frame("sandbox", sandbox);
  await frame("policy", null);
  // Give the broken image's error event of both frames time to fire: it did in the first frame.
  await expect.poll(() => page.evaluate(() => document.querySelectorAll("iframe").length)).toBeGreaterThanOrEqual(4);
  await page.waitForFunction(() =>
    [...document.querySelectorAll("iframe")].slice(-2).every((f) => f.contentDocument === null || f.contentDocument.readyState === "complete"),
  );
  expect((await ran()).filter((w) => !w.startsWith("none"))).toEqual([]);
});
