// What every part of `npm run bench` shares (scripts/bench/*.mjs): the user and folder, medians of
// timed runs, the app started from the production build and signed into over HTTP, the
// 100,000-message folder filled once, and the floor — the same IMAP commands the app sends, done
// directly with imapflow on an already open connection. Expects the mail stack running and its env
// exported (scripts/bench.sh does both).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, openSync, closeSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ImapFlow } from "imapflow";

export const USER = { login: "alice@example.test", password: "alice-password" };
export const FOLDER = process.env.BENCH_FOLDER ?? "Bench";
export const COUNT = Number(process.env.BENCH_MESSAGES ?? 100_000);
export const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** The first app port of the bench: run/cache use it, the browser part +1, the outbox part +2, the Roundcube part +3. */
export const BENCH_PORT = Number(process.env.BENCH_PORT ?? 3400);
export const PAGE_SIZE = 50;
export const imapUrl = new URL(process.env.MAIL_IMAP_URL);

export const A = (value) => ({ type: "ATOM", value });
/** A list row's header-first FETCH, as lib/mail/imap fetches it (plus PREVIEW, below). */
export const HEADERS = { uid: true, flags: true, envelope: true, internalDate: true, size: true, bodyStructure: true };

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Median of `runs` timings of `fn(context, i)`, after one untimed warm-up (i = -1: JIT, route
 * compilation, connections are not what we compare). `prepare(i)` runs untimed before each and
 * gives `fn` its context (a fresh sign-in, a change made elsewhere). With `selfTimed`, `fn` returns
 * its own measurement (a time taken inside the browser) instead of being timed from here.
 */
export async function timeRuns(fn, { runs = RUNS, prepare = async () => undefined, warmUp = true, selfTimed = false } = {}) {
  if (warmUp) await fn(await prepare(-1), -1);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await prepare(i);
    const t0 = performance.now();
    const result = await fn(context, i);
    const ms = performance.now() - t0;
    if (selfTimed && typeof result !== "number") throw new Error("a self-timed run returned no time");
    times.push(selfTimed ? result : ms);
  }
  return median(times);
}

export function imapClient(user = USER, options = {}) {
  const client = new ImapFlow({
    host: imapUrl.hostname,
    port: Number(imapUrl.port),
    secure: imapUrl.protocol === "imaps:",
    auth: { user: user.login, pass: user.password },
    logger: false,
    tls: { rejectUnauthorized: false },
    ...options,
  });
  client.on("error", () => undefined);
  return client;
}

// --- the 100,000-message folder ------------------------------------------------------------------

const stateDir = process.env.MAIL_STATE_DIR ?? ".data/mail-bench";
const ftsMarker = path.join(stateDir, `bench-fts-${USER.login}-${FOLDER}.done`);
const ftsPidFile = path.join(stateDir, `bench-fts-${USER.login}-${FOLDER}.pid`);
const ftsLog = path.join(stateDir, `bench-fts-${USER.login}-${FOLDER}.log`);

/** Runs mail-stack.sh at the lowest CPU and I/O priority: filling is the bench's set-up, not its measure. */
function stackIdle(...args) {
  execFileSync("nice", ["-n", "19", "ionice", "-c3", "bash", "scripts/mail-stack/mail-stack.sh", ...args], { stdio: "inherit" });
}

/**
 * Fills FOLDER up to COUNT generated messages (Maildir files written directly) plus the one with the
 * 25 MB attachment, once: the bench state dir keeps them between runs. The full-text index is not
 * built here (`--no-full-text`): see `fullTextIndex`.
 */
export async function ensureFolder() {
  const client = imapClient();
  await client.connect();
  const status = await client.status(FOLDER, { messages: true }).catch(() => false);
  let hasBig = false;
  if (status) {
    const lock = await client.getMailboxLock(FOLDER);
    try {
      hasBig = ((await client.search({ subject: "Big attachment 25MB" }, { uid: true })) || []).length > 0;
    } finally {
      lock.release();
    }
  }
  await client.logout();
  const have = status ? status.messages - (hasBig ? 1 : 0) : 0;
  if (have < COUNT) {
    console.log(`Filling ${FOLDER} with ${(COUNT - have).toLocaleString()} messages…`);
    stackIdle("fill", "--no-full-text", USER.login, FOLDER, String(COUNT - have));
  }
  if (!hasBig) stackIdle("fill", "--big-attachment", "--no-full-text", USER.login, FOLDER);
}

/** Fills `folder` up to `count` generated messages (no full-text index), for a second folder to switch to. */
export async function ensureSmallFolder(folder, count) {
  const client = imapClient();
  await client.connect();
  const status = await client.status(folder, { messages: true }).catch(() => false);
  await client.logout();
  const have = status ? status.messages : 0;
  if (have < count) stackIdle("fill", "--no-full-text", USER.login, folder, String(count - have));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Dovecot's full-text index (fts-xapian) of FOLDER, which body searches are answered from. Building
 * it for 100,000 messages costs fts-xapian tens of CPU minutes (it re-reads each document per body
 * chunk), so it is built once, in the background, at the lowest CPU and I/O priority (`nice -n 19
 * ionice -c3 doveadm index`), while the other rows are measured; fts-xapian commits every five
 * minutes, so an interrupted build resumes where it stopped. Returns "ready" once the index covers
 * the folder (a marker in the state dir; mail added later is indexed as it is saved, fts_autoindex),
 * else "building". A search on an incomplete index would make Dovecot index the rest inside the
 * search, at full priority, and time that instead: the search rows wait for "ready".
 */
export function fullTextIndex() {
  if (existsSync(ftsMarker)) return "ready";
  const pid = existsSync(ftsPidFile) ? Number(readFileSync(ftsPidFile, "utf8")) : 0;
  if (pid && alive(pid)) return "building";
  const doveadm = process.env.MAIL_DOVEADM;
  if (!doveadm) throw new Error("MAIL_DOVEADM is not set: export the mail stack's env first");
  const log = openSync(ftsLog, "a");
  const child = spawn(
    "nice",
    ["-n", "19", "ionice", "-c3", "sh", "-c", `${doveadm} index -u "$1" "$2" && touch "$3"`, "sh", USER.login, FOLDER, ftsMarker],
    { detached: true, stdio: ["ignore", log, log] },
  );
  closeSync(log);
  writeFileSync(ftsPidFile, String(child.pid));
  child.unref();
  console.log(`Building the full-text index of ${FOLDER} in the background (pid ${child.pid}, log ${ftsLog})`);
  return "building";
}

/** The background index build's process, if one runs. */
export function fullTextIndexPid() {
  const pid = existsSync(ftsPidFile) ? Number(readFileSync(ftsPidFile, "utf8")) : 0;
  return pid && alive(pid) ? pid : null;
}

/** Waits up to `minutes` for the full-text index; true when it is ready. */
export async function waitForFullTextIndex(minutes) {
  const until = Date.now() + minutes * 60_000;
  while (fullTextIndex() !== "ready") {
    if (Date.now() >= until) return false;
    await sleep(10_000);
  }
  return true;
}

// --- the app over HTTP -----------------------------------------------------------------------------

/** `next start` of the production build on `port`; `env` adds to (or, with undefined, removes from) the environment. */
export async function startApp(port, env = {}) {
  const merged = { ...process.env, AUTH_TRUST_HOST: "1", NODE_ENV: "production", ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: merged,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 480; i++) {
    if (child.exitCode !== null) throw new Error(`the app on port ${port} exited at start`);
    if (await fetch(`${base}/login`).then((r) => r.ok, () => false)) return child;
    await sleep(250);
  }
  child.kill("SIGKILL");
  throw new Error(`the app on port ${port} did not start`);
}

/** Stops the app and waits for it to exit. */
export async function stopApp(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

export const cookieHeader = (jar) => [...jar.entries()].map(([k, v]) => `${k}=${v}`).join("; ");

export function absorbCookies(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

async function csrf(base, jar) {
  const r = await fetch(`${base}/api/auth/csrf`, { headers: { Cookie: cookieHeader(jar) } });
  absorbCookies(jar, r);
  return (await r.json()).csrfToken;
}

/** Signs in as the browser's form does (next-auth credentials); returns the cookie jar. */
export async function signIn(base, user = USER) {
  const jar = new Map();
  const csrfToken = await csrf(base, jar);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar), Origin: base },
    body: new URLSearchParams({ email: user.login, password: user.password, csrfToken, json: "true" }),
  });
  absorbCookies(jar, response);
  if (![...jar.keys()].some((k) => k.endsWith("session-token"))) throw new Error(`sign-in failed (${response.status})`);
  return jar;
}

/** Signs out (the login's last session: the app purges its list cache). */
export async function signOut(base, jar) {
  const csrfToken = await csrf(base, jar);
  const r = await fetch(`${base}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar), Origin: base },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
  if (r.status >= 400) throw new Error(`sign-out failed (${r.status})`);
}

export async function getJson(base, jar, path) {
  const r = await fetch(`${base}${path}`, { headers: { Cookie: cookieHeader(jar) } });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

// --- the floor: the same commands, directly with imapflow -----------------------------------------

/** The UIDs of a compact set (`1:5,9,12:10`), in its order. */
export function parseUidSet(text) {
  const uids = [];
  for (const part of String(text).split(",").filter(Boolean)) {
    const [a, b = a] = part.split(":").map(Number);
    for (let n = a; ; n += b >= a ? 1 : -1) {
      uids.push(n);
      if (n === b) break;
    }
  }
  return uids;
}

/**
 * imapflow's exec() (the door for commands it has no API for) does not end an IDLE the way its own
 * commands do: a command written into IDLE is never answered (RFC 2177 allows only DONE). An open
 * connection left alone for 15 s is idling, so the floor ends it first, as imapflow's run() does.
 */
async function endIdle(client) {
  if (typeof client.preCheck === "function") await client.preCheck();
}

/** The rows' preview lines, as the app adds them to every page (PREVIEW, RFC 8970). */
export async function floorPreviews(client, uids, byUid = true) {
  await endIdle(client);
  const r = await client.exec(byUid ? "UID FETCH" : "FETCH", [{ type: "SEQUENCE", value: uids }, [A("UID"), A("PREVIEW")]], {
    untagged: { FETCH: async () => undefined },
  });
  r.next();
}

/**
 * The selected folder's UIDs by date, ascending, of the messages matching `keys` (all by default):
 * UID SORT in its ESORT form (RFC 5267), one compact answer — what the app sends.
 */
export async function floorSortDate(client, keys = [A("ALL")]) {
  await endIdle(client);
  let all = "";
  const r = await client.exec("UID SORT", [A("RETURN"), [A("ALL")], [A("DATE")], A("UTF-8"), ...keys], {
    untagged: {
      ESEARCH: async (u) => {
        const i = (u.attributes ?? []).findIndex((a) => String(a?.value).toUpperCase() === "ALL");
        if (i >= 0) all = String(u.attributes[i + 1]?.value ?? "");
      },
    },
  });
  r.next();
  return parseUidSet(all);
}

/**
 * A folder's page by date, newest first, as the app lists it: UID SORT, then UID FETCH of the page's
 * rows and their previews. The folder is selected under the mailbox lock (a SELECT when another one
 * was selected: switching folders costs that too).
 */
export async function floorSortedPage(client, folder, page) {
  const lock = await client.getMailboxLock(folder);
  try {
    const uids = await floorSortDate(client);
    const end = uids.length - page * PAGE_SIZE;
    const slice = uids.slice(Math.max(0, end - PAGE_SIZE), Math.max(0, end)).reverse().join(",");
    const out = [];
    if (slice) {
      for await (const m of client.fetch(slice, HEADERS, { uid: true })) out.push(m);
      await floorPreviews(client, slice, true);
    }
    return out;
  } finally {
    lock.release();
  }
}

/**
 * A folder's conversation page, as the app lists it: UID THREAD REFS (RFC 5256; Dovecot answers from
 * its own index), newest conversations first, then UID FETCH of their messages (with References)
 * and previews. With `newest`, only the folder's newest `newest` messages are threaded (the app's
 * first page before the whole folder is threaded, lib/mail/imap/thread-newest.ts).
 */
export async function floorThreadPage(client, folder, page, { newest = 0 } = {}) {
  const lock = await client.getMailboxLock(folder);
  try {
    const threads = [];
    await endIdle(client);
    const flatten = (node, into) => (Array.isArray(node) ? node.forEach((n) => flatten(n, into)) : into.push(Number(node.value)));
    const exists = client.mailbox.exists;
    const criteria = newest > 0 && exists > newest ? [{ type: "SEQUENCE", value: `${exists - newest + 1}:*` }] : [A("ALL")];
    const r = await client.exec("UID THREAD", [A("REFS"), A("UTF-8"), ...criteria], {
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
    const uids = threads.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).flat().join(",");
    const out = [];
    if (uids) {
      for await (const m of client.fetch(uids, { ...HEADERS, headers: ["references"] }, { uid: true })) out.push(m);
      await floorPreviews(client, uids, true);
    }
    return out;
  } finally {
    lock.release();
  }
}

/** The part the reader shows first: the first text part of a BODYSTRUCTURE (HTML or plain). */
export function firstTextPart(node) {
  if (!node.childNodes) return node.type?.startsWith("text/") ? (node.part ?? "1") : null;
  for (const child of node.childNodes) {
    const found = firstTextPart(child);
    if (found) return found;
  }
  return null;
}

/**
 * Opening a message: its envelope, flags and structure, then the part shown downloaded. A message
 * that is not multipart has its body asked for as TEXT, as the app does (lib/mail/imap/get-message.ts):
 * given "1", imapflow fetches the structure once more to find out whether "1" means TEXT.
 */
export async function floorOpen(client, folder, uid, part = null) {
  const lock = await client.getMailboxLock(folder);
  try {
    const m = await client.fetchOne(String(uid), { uid: true, flags: true, envelope: true, bodyStructure: true }, { uid: true });
    const shown = part ?? firstTextPart(m.bodyStructure) ?? "1";
    const { content } = await client.download(String(uid), shown === "1" && !m.bodyStructure?.childNodes ? "TEXT" : shown, { uid: true });
    for await (const _ of content);
  } finally {
    lock.release();
  }
}

/** Prints a table of rows `{ name, app, floor, unit }`: median, floor, ratio app ÷ floor. */
export function printRows(rows, width = 44) {
  console.log("operation".padEnd(width) + "app".padStart(12) + "imapflow floor".padStart(16) + "ratio".padStart(9));
  for (const r of rows) {
    const fmt = (v) => (v === null || v === undefined ? "–" : `${v.toFixed(1)} ${r.unit ?? "ms"}`);
    const ratio = r.floor > 0 && r.app !== null ? `${(r.app / r.floor).toFixed(2)}×` : "–";
    console.log(r.name.padEnd(width) + fmt(r.app).padStart(12) + fmt(r.floor).padStart(16) + ratio.padStart(9));
  }
}
