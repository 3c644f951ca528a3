import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";
import { signIn, USERS } from "./compose-support";

// Issue 13, sessions and requests: every route refuses what it must, sign-out stays on the user's
// origin, cookies carry their flags, the password never comes back to the browser.

interface Route {
  path: string;
  methods: string[];
}

/** Every route handler under app/api with the methods it exports, found by walking the folder. */
function apiRoutes(dir = "app/api"): Route[] {
  const routes: Route[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) routes.push(...apiRoutes(full));
    else if (entry.name === "route.ts") {
      const source = readFileSync(full, "utf8");
      const methods = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
      routes.push({ path: `/${path.dirname(full)}`.replace(/^\/app/, "").replace(/\[[^\]]+\]/g, "1"), methods });
    }
  }
  return routes;
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// next-auth's own routes carry its CSRF token; ours check the session and the origin themselves.
const ours = () => apiRoutes().filter((r) => !r.path.startsWith("/api/auth"));

async function call(context: APIRequestContext, method: string, url: string, headers: Record<string, string>) {
  const response = await context.fetch(`${url}?folder=INBOX&uidValidity=1`, {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    data: method === "GET" || method === "DELETE" ? undefined : "{}",
    maxRedirects: 0,
  });
  return response.status();
}

test("every route refuses a visitor without a session, and every state-changing one another origin", async ({ page, baseURL }) => {
  const routes = ours();
  const calls = routes.flatMap((r) => r.methods.map((method) => ({ method, path: r.path })));
  // A walk that found nothing would pass everything: the API has more than a dozen handlers.
  expect(calls.length).toBeGreaterThan(15);
  const sameOrigin = { Origin: baseURL!, "Sec-Fetch-Site": "same-origin" };

  const anonymous = await playwrightRequest.newContext({ baseURL });
  const wrong: string[] = [];
  for (const c of calls) {
    const status = await call(anonymous, c.method, c.path, sameOrigin);
    if (status !== 401) wrong.push(`${c.method} ${c.path} without a session: ${status}`);
  }
  await anonymous.dispose();

  await signIn(page, USERS.carol);
  const signedIn = page.request;
  for (const c of calls.filter((x) => STATE_CHANGING.has(x.method))) {
    for (const [label, headers] of [
      ["cross-site", { Origin: "http://evil.example", "Sec-Fetch-Site": "cross-site" }],
      ["same-site", { Origin: "http://127.0.0.1:9", "Sec-Fetch-Site": "same-site" }],
      ["Origin only", { Origin: "http://evil.example" }],
      ["no origin at all", {}],
    ] as [string, Record<string, string>][]) {
      const status = await call(signedIn, c.method, c.path, headers);
      if (status !== 403) wrong.push(`${c.method} ${c.path} ${label}: ${status}`);
    }
    // The same request from our own origin gets past the check (to validation or the server):
    // the 403s above are the origin check's, not a route that refuses everything.
    const own = await call(signedIn, c.method, c.path, sameOrigin);
    if (own === 403 || own === 401) wrong.push(`${c.method} ${c.path} from our own origin: ${own}`);
  }
  expect(wrong).toEqual([]);
});

test("the password never reaches the browser: responses, cookies, storage, URLs, the client bundle", async ({ page }) => {
  const user = USERS.alice;
  const seen: string[] = [];
  page.on("response", async (response) => {
    seen.push(response.url());
    seen.push(JSON.stringify(await response.allHeaders()));
    const body = await response.body().catch(() => Buffer.alloc(0));
    seen.push(body.toString("latin1"));
  });
  page.on("request", (r) => seen.push(r.url()));
  await signIn(page, user);
  // Use the reading features once: folders, the list, a message, its body frame.
  const list = page.getByRole("region", { name: "Messages", exact: true });
  await list.getByRole("listitem").first().getByRole("button").first().click();
  // The first row may be a conversation, opened in the conversation reader, when a test before this
  // one replied in Alice's Inbox.
  await expect(page.getByRole("region", { name: /^(Message|Conversation)$/ }).getByRole("heading").first()).toBeVisible();
  await expect(page.locator('iframe[title="Message body"][srcdoc]').first()).toBeAttached();
  // Not "networkidle": the mail view keeps a live-updates stream open.
  await expect.poll(() => seen.length).toBeGreaterThan(30);
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
  const cookies = JSON.stringify(await page.context().cookies());
  const everything = [...seen, storage, cookies].join("\n");
  expect(everything.length).toBeGreaterThan(10_000);
  expect(everything).not.toContain(user.password);
  expect(everything).not.toContain(Buffer.from(user.password).toString("base64"));
  expect(everything).not.toContain(encodeURIComponent(user.password));

  // The client bundle, all of it, not only the chunks this visit loaded: nothing of a password.
  const bundle = filesUnder(".next/static").map((f) => readFileSync(f, "latin1"));
  expect(bundle.length).toBeGreaterThan(10);
  for (const password of Object.values(USERS).map((u) => u.password)) {
    expect(bundle.some((text) => text.includes(password)), password).toBe(false);
  }
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Sign out lives in the account menu. */
async function signOutOf(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
}

/**
 * Every feature of the API once, as the app's pages call it (same origin): folders, the list, a
 * message with its body, source and an attachment, search, contacts, settings, an upload, a draft,
 * a send through the outbox and one direct, a folder made, renamed and removed, flags set and put
 * back, POP3 accounts. Answers every response's headers and body, for a grep.
 */
async function useEveryFeature(api: APIRequestContext, origin: string): Promise<string[]> {
  const seen: string[] = [];
  const call = async (method: string, url: string, data?: unknown, headers: Record<string, string> = {}) => {
    const response = await api.fetch(url, {
      method,
      headers: { "Content-Type": "application/json", Origin: origin, ...headers },
      data: data === undefined ? undefined : typeof data === "string" ? data : JSON.stringify(data),
      maxRedirects: 0,
    });
    const body = await response.text();
    seen.push(`${method} ${url} ${response.status()} ${JSON.stringify(response.headers())}\n${body}`);
    expect(response.status(), `${method} ${url}: ${body.slice(0, 200)}`).toBeLessThan(400);
    return body ? (JSON.parse(body.startsWith("{") || body.startsWith("[") ? body : "null") as unknown) : null;
  };
  const tag = randomUUID().slice(0, 8);
  await call("GET", "/api/folders?all=1");
  const list = (await call("GET", "/api/messages?folder=INBOX&pageSize=200")) as { uidValidity: string; messages: { uid: number; subject: string }[] };
  const ref = `folder=INBOX&uidValidity=${list.uidValidity}`;
  const withFiles = list.messages.find((m) => m.subject === "Files for the offsite") ?? list.messages[0]!;
  const message = (await call("GET", `/api/messages/${withFiles.uid}?${ref}&remote=0`)) as { attachments: { partId: string }[] };
  await call("GET", `/api/messages/${withFiles.uid}?${ref}&remote=1`);
  await call("GET", `/api/messages/${withFiles.uid}/source?${ref}`);
  if (message.attachments[0]) await call("GET", `/api/messages/${withFiles.uid}/parts/${encodeURIComponent(message.attachments[0].partId)}?${ref}&download=1`);
  await call("GET", `/api/conversations/${withFiles.uid}?${ref}`);
  await call("GET", `/api/search?${new URLSearchParams({ q: "report", folder: "INBOX" })}`);
  await call("GET", "/api/contacts?q=a");
  const settings = (await call("GET", "/api/settings")) as { undoSendSeconds: number };
  // Written back as it was: the route runs, the user's settings stay.
  await call("PUT", "/api/settings", { undoSendSeconds: settings.undoSendSeconds });
  await call("POST", "/api/messages/actions", { folder: "INBOX", uidValidity: list.uidValidity, uids: [withFiles.uid], action: { type: "flags", flagged: true } });
  await call("POST", "/api/messages/actions", { folder: "INBOX", uidValidity: list.uidValidity, uids: [withFiles.uid], action: { type: "flags", flagged: false } });
  const upload = (await call("POST", "/api/uploads", `file ${tag}`, { "Content-Type": "text/plain", "X-File-Name": `notes ${tag}.txt` })) as { id: string };
  // To the stack's catch-all (outside example.test): no other spec's mailbox gets a message.
  const compose = { to: [{ name: "", address: `every-feature-${tag}@example.org` }], subject: `Every feature ${tag}`, format: "html", body: `<p>${tag}</p>` };
  const draft = await call("POST", "/api/drafts", { ...compose, attachmentIds: [upload.id] });
  // Sending the draft removes it.
  await call("POST", "/api/send", { ...compose, attachmentIds: [upload.id], idempotencyKey: randomUUID(), draft });
  const queued = (await call("POST", "/api/outbox", { ...compose, idempotencyKey: randomUUID(), sendAt: Date.now() + 24 * 3600_000 })) as { item: { id: string } };
  await call("GET", "/api/outbox");
  await call("GET", `/api/outbox/${queued.item.id}`);
  const back = (await call("POST", `/api/outbox/${queued.item.id}/cancel`)) as { draft: { folder: string; uidValidity: string; uid: number } };
  await call("GET", `/api/drafts/${back.draft.uid}?${new URLSearchParams({ folder: back.draft.folder, uidValidity: back.draft.uidValidity })}`);
  await call("DELETE", `/api/drafts/${back.draft.uid}?${new URLSearchParams({ folder: back.draft.folder, uidValidity: back.draft.uidValidity })}`);
  const folder = (await call("POST", "/api/folders", { name: `Feature ${tag}` })) as { path: string };
  const renamed = (await call("PATCH", "/api/folders", { path: folder.path, name: `Feature renamed ${tag}` })) as { path: string };
  await call("DELETE", `/api/folders?${new URLSearchParams({ path: renamed.path, permanent: "1" })}`);
  await call("GET", "/api/pop3-accounts");
  return seen;
}

/** A port nothing listens on now: the OS picks it, so checkouts testing side by side never collide. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The built app on a port of its own with `env`, for configurations the shared server cannot show. */
async function startApp(port: number, env: NodeJS.ProcessEnv, log: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/login`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the app did not start on ${port}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test.describe("an app started on another port without NEXTAUTH_URL", () => {
  let PORT = 0;
  let app: ChildProcess;
  /** Everything that app's server printed: its log. */
  const log: string[] = [];
  test.beforeAll(async () => {
    const env = { ...process.env };
    delete env.NEXTAUTH_URL;
    delete env.AUTH_TRUST_HOST;
    PORT = await freePort();
    app = await startApp(PORT, env, log);
  });
  test.afterAll(() => {
    app?.kill("SIGTERM");
  });

  test("sign-out lands on the sign-in page of the origin the user is on", async ({ browser }) => {
    const origin = `http://127.0.0.1:${PORT}`;
    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    await signIn(page, USERS.bob);
    await expect(page).toHaveURL(`${origin}/mail`);
    await signOutOf(page);
    await expect(page).toHaveURL(`${origin}/login`);
    await context.close();
  });

  test("session cookies are HttpOnly and SameSite, and Secure when the proxy says HTTPS", async () => {
    for (const https of [false, true]) {
      const context = await playwrightRequest.newContext({
        baseURL: `http://127.0.0.1:${PORT}`,
        extraHTTPHeaders: https ? { "X-Forwarded-Proto": "https" } : {},
      });
      const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await context.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: USERS.bob.email, password: USERS.bob.password, json: "true" },
        maxRedirects: 0,
      });
      const setCookies = (await response.headersArray()).filter((h) => h.name.toLowerCase() === "set-cookie").map((h) => h.value);
      const session = setCookies.find((c) => /session-token=/.test(c));
      expect(session, `session cookie (https: ${https}) in ${setCookies.join(" | ")}`).toBeDefined();
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(session).toMatch(/;\s*SameSite=Lax/i);
      if (https) expect(session).toMatch(/;\s*Secure/i);
      else expect(session).not.toMatch(/;\s*Secure/i);
      await context.dispose();
    }
  });

  test("the password never appears in what the server logged", async ({ browser }) => {
    const origin = `http://127.0.0.1:${PORT}`;
    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    // A wrong password first (a failed sign-in is what tempts a log line), then the right one.
    await page.goto("/login");
    await page.getByLabel("Email").fill(USERS.bob.email);
    await page.getByLabel("Password").fill(`${USERS.bob.password}-wrong`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "password is wrong" })).toBeVisible();
    await signIn(page, USERS.bob);
    const list = page.getByRole("region", { name: "Messages", exact: true });
    await list.getByRole("listitem").first().getByRole("button").first().click();
    // The frame is made empty while the message is on its way: wait for its document.
    await expect(page.locator('iframe[title="Message body"][srcdoc]').first()).toBeAttached();
    // Every other feature once, through the API as the pages call it: what the server logs while
    // doing it, and every answer it gave, are grepped below.
    const answers = await useEveryFeature(page.request, origin);
    // A request that fails on the server side, so error paths log too.
    await page.request.get("/api/messages/999999?folder=INBOX&uidValidity=1&remote=0");
    await signOutOf(page);
    await expect(page).toHaveURL(`${origin}/login`);
    await context.close();
    const received = answers.join("\n");
    expect(received.length).toBeGreaterThan(5_000);
    expect(received).not.toContain(USERS.bob.password);
    expect(received).not.toContain(Buffer.from(USERS.bob.password).toString("base64"));
    const logged = log.join("");
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(USERS.bob.password);
    expect(logged).not.toContain(Buffer.from(USERS.bob.password).toString("base64"));
  });
});
