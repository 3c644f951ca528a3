// npm run bench (or BENCH_ONLY=cache): the folder list's header cache (lib/mail/cache) on the
// 100,000-message folder, against the floor of the same page sent directly with imapflow on an
// already open connection (UID SORT RETURN (ALL) (DATE), UID FETCH of the page, its PREVIEW).
// Rows: warm first page (cache filled, one STATUS), cold first page (right after sign-in, the
// cache purged by the previous sign-out), page 1,000 (first visit: order cached, rows not; and
// again, warm), and the first page after another client changed a flag (CHANGEDSINCE sync) or
// delivered one message (with QRESYNC: merged by SORTs over a few UIDs, not the whole folder).
// Expects the mail stack running, its env exported and the app built (scripts/bench.sh does all).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ImapFlow } from "imapflow";

const USER = { login: "alice@example.test", password: "alice-password" };
const FOLDER = process.env.BENCH_FOLDER ?? "Bench";
const COUNT = Number(process.env.BENCH_MESSAGES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PORT = Number(process.env.BENCH_PORT ?? 3400);
const BASE = `http://127.0.0.1:${PORT}`;
const PAGE_SIZE = 50;
const imapUrl = new URL(process.env.MAIL_IMAP_URL);
const A = (value) => ({ type: "ATOM", value });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median of `runs` timings of `fn`; `prepare` runs untimed before each (sign-in, a change elsewhere). */
async function timeRuns(fn, { runs = RUNS, prepare = async () => undefined, warmUp = true } = {}) {
  if (warmUp) await fn(await prepare());
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await prepare();
    const t0 = performance.now();
    await fn(context);
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

async function ensureFolder() {
  const client = imapClient();
  await client.connect();
  const status = await client.status(FOLDER, { messages: true }).catch(() => false);
  await client.logout();
  if (!status || status.messages < COUNT) {
    console.log(`Filling ${FOLDER} with ${COUNT.toLocaleString()} messages…`);
    execFileSync(
      "bash",
      [
        "scripts/mail-stack/mail-stack.sh",
        "fill",
        USER.login,
        FOLDER,
        String(COUNT - (status ? status.messages : 0)),
      ],
      { stdio: "inherit" },
    );
  }
}

// --- the app over HTTP -------------------------------------------------------------------------

// A store of its own (SQLite in a fresh folder): no other session of the user keeps the cache alive
// between the cold runs, and nothing of a crashed run carries over.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "letterbox-bench-cache-"));

function startApp() {
  const env = { ...process.env, AUTH_TRUST_HOST: "1", NODE_ENV: "production", LETTERBOX_DATA_DIR: dataDir };
  delete env.LETTERBOX_REDIS_URL;
  return spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"],
    {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
}

async function waitForApp() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${BASE}/login`)).ok) return;
    } catch {}
    await sleep(500);
  }
  throw new Error("the app did not start");
}

const cookieHeader = (jar) => [...jar.entries()].map(([k, v]) => `${k}=${v}`).join("; ");
function absorbCookies(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

async function csrf(jar) {
  const r = await fetch(`${BASE}/api/auth/csrf`, { headers: { Cookie: cookieHeader(jar) } });
  absorbCookies(jar, r);
  return (await r.json()).csrfToken;
}

async function signIn() {
  const jar = new Map();
  const csrfToken = await csrf(jar);
  const response = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar), Origin: BASE },
    body: new URLSearchParams({ email: USER.login, password: USER.password, csrfToken, json: "true" }),
  });
  absorbCookies(jar, response);
  if (![...jar.keys()].some((k) => k.endsWith("session-token")))
    throw new Error(`sign-in failed (${response.status})`);
  return jar;
}

/** Signs out (the login's last session: the app purges its list cache). */
async function signOut(jar) {
  const csrfToken = await csrf(jar);
  const r = await fetch(`${BASE}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar), Origin: BASE },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
  if (r.status >= 400) throw new Error(`sign-out failed (${r.status})`);
}

async function listPage(jar, page) {
  const r = await fetch(
    `${BASE}/api/messages?folder=${encodeURIComponent(FOLDER)}&page=${page}&pageSize=${PAGE_SIZE}&sort=date&order=desc`,
    {
      headers: { Cookie: cookieHeader(jar) },
    },
  );
  if (!r.ok) throw new Error(`list page ${page}: ${r.status} ${await r.text()}`);
  const body = await r.json();
  if (body.messages.length !== PAGE_SIZE) throw new Error(`list page ${page}: ${body.messages.length} rows`);
  return body;
}

// --- run ---------------------------------------------------------------------------------------

await ensureFolder();
const app = startApp();
const rows = [];
const row = (name, appMs, floorMs) => rows.push({ name, app: appMs, floor: floorMs });

try {
  await waitForApp();
  const floorClient = imapClient();
  await floorClient.connect();

  // The floor: the date-sorted page sent directly, on an open connection with the folder selected.
  const floorSortedPage = async (page) => {
    const lock = await floorClient.getMailboxLock(FOLDER);
    try {
      let all = "";
      const r = await floorClient.exec(
        "UID SORT",
        [A("RETURN"), [A("ALL")], [A("DATE")], A("UTF-8"), A("ALL")],
        {
          untagged: {
            ESEARCH: async (u) => {
              const i = (u.attributes ?? []).findIndex((a) => String(a?.value).toUpperCase() === "ALL");
              all = String(u.attributes?.[i + 1]?.value ?? "");
            },
          },
        },
      );
      r.next();
      const uids = [];
      for (const part of all.split(",")) {
        const [a, b] = part.split(":").map(Number);
        if (b === undefined) uids.push(a);
        else for (let n = a; a <= b ? n <= b : n >= b; n += a <= b ? 1 : -1) uids.push(n);
      }
      const end = uids.length - page * PAGE_SIZE;
      const slice = uids.slice(Math.max(0, end - PAGE_SIZE), end).join(",");
      const out = [];
      for await (const m of floorClient.fetch(
        slice,
        { uid: true, flags: true, envelope: true, internalDate: true, size: true, bodyStructure: true },
        { uid: true },
      ))
        out.push(m);
      const p = await floorClient.exec(
        "UID FETCH",
        [{ type: "SEQUENCE", value: slice }, [A("UID"), A("PREVIEW")]],
        { untagged: { FETCH: async () => undefined } },
      );
      p.next();
      return out;
    } finally {
      lock.release();
    }
  };
  const floorFirst = await timeRuns(() => floorSortedPage(0));
  const floorFar = await timeRuns(() => floorSortedPage(999));

  // Cold: a fresh sign-in (the previous run signed out, which purged the login's cache), then page 1.
  let session = null;
  const cold = await timeRuns(
    async (jar) => {
      // A page served whole from the cache would mean the sign-out did not purge it: not cold.
      if ((await listPage(jar, 0)).fromCache) throw new Error("the cold run was answered from the cache");
    },
    {
      prepare: async () => {
        if (session) await signOut(session);
        session = await signIn();
        return session;
      },
    },
  );
  row("first page, cold (right after sign-in)", cold, floorFirst);

  // Warm: the same session, the cache filled by the cold run.
  row("first page, warm (cache)", await timeRuns(() => listPage(session, 0)), floorFirst);

  // Page 1,000, first visit: the order is cached, the page's 50 rows are not. Sign out and in
  // between runs so every run is a first visit; page 1 fills the order untimed.
  const farFirst = await timeRuns((jar) => listPage(jar, 999), {
    prepare: async () => {
      await signOut(session);
      session = await signIn();
      await listPage(session, 0);
      return session;
    },
  });
  row("page 1,000, first visit (order cached)", farFirst, floorFar);
  row("page 1,000, warm (cache)", await timeRuns(() => listPage(session, 999)), floorFar);

  // Another client flags the newest message between runs: the list's next request syncs (CHANGEDSINCE).
  const newest = (await listPage(session, 0)).messages[0].uid;
  let flagged = false;
  const afterChange = await timeRuns(() => listPage(session, 0), {
    prepare: async () => {
      const lock = await floorClient.getMailboxLock(FOLDER);
      try {
        if (flagged) await floorClient.messageFlagsRemove(String(newest), ["\\Flagged"], { uid: true });
        else await floorClient.messageFlagsAdd(String(newest), ["\\Flagged"], { uid: true });
        flagged = !flagged;
      } finally {
        lock.release();
      }
    },
  });
  row("first page after a flag changed elsewhere", afterChange, floorFirst);

  // Another client delivers one new message between runs (dated now, so it is the newest): with
  // QRESYNC the sync places it by SORTs over a few UIDs instead of sorting the whole folder again.
  let arrivals = 0;
  const afterArrival = await timeRuns(() => listPage(session, 0), {
    prepare: async () => {
      const id = `bench-arrival-${Date.now()}-${++arrivals}`;
      const raw = [`From: Bench <bench@example.org>`, `To: ${USER.login}`, `Subject: Arrival ${arrivals}`, `Date: ${new Date().toUTCString()}`, `Message-ID: <${id}@example.org>`, "", "New mail.", ""].join("\r\n");
      await floorClient.append(FOLDER, raw);
    },
  });
  row("first page after one arrival elsewhere", afterArrival, floorFirst);
  await signOut(session);
  await floorClient.logout();
} finally {
  app.kill("SIGTERM");
  await new Promise((resolve) => app.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(
  `\nList cache on ${COUNT.toLocaleString()} messages (${FOLDER}), median of ${RUNS} runs; floor = the same page with imapflow on an open connection`,
);
console.log(`${"".padEnd(44)}${"app".padStart(10)}${"floor".padStart(10)}${"ratio".padStart(8)}`);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(44)}${`${r.app.toFixed(1)} ms`.padStart(10)}${`${r.floor.toFixed(1)} ms`.padStart(10)}${(r.app / r.floor).toFixed(2).padStart(8)}`,
  );
}
console.log("Targets (issue 14): warm first page ≤ 0.5 × floor; cold first page ≤ 1.5 × floor.");
