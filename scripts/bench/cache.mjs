// npm run bench (or BENCH_ONLY=cache): the folder list's header cache (lib/mail/cache) on the
// 100,000-message folder, against the floor of the same page sent directly with imapflow on an
// already open connection (UID SORT RETURN (ALL) (DATE), UID FETCH of the page, its PREVIEW).
// Rows: warm first page (cache filled, one STATUS), cold first page (right after sign-in, the
// cache purged by the previous sign-out), page 1,000 (first visit: order cached, rows not; and
// again, warm), and the first page after another client changed a flag (CHANGEDSINCE sync) or
// delivered one message (with QRESYNC: merged by SORTs over a few UIDs, not the whole folder).
// Expects the mail stack running, its env exported and the app built (scripts/bench.sh does all).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  BENCH_PORT,
  COUNT,
  FOLDER,
  PAGE_SIZE,
  RUNS,
  USER,
  cookieHeader,
  ensureFolder,
  floorSortedPage as floorSortedPageOf,
  floorThreadPage,
  imapClient,
  printRows,
  signIn as signInAt,
  signOut as signOutAt,
  startApp as startAppAt,
  stopApp,
  timeRuns,
} from "./common.mjs";

const PORT = BENCH_PORT;
const BASE = `http://127.0.0.1:${PORT}`;

// --- the app over HTTP -------------------------------------------------------------------------

// A store of its own (SQLite in a fresh folder): no other session of the user keeps the cache alive
// between the cold runs, and nothing of a crashed run carries over.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "letterbox-bench-cache-"));

const startApp = () => startAppAt(PORT, { LETTERBOX_DATA_DIR: dataDir, LETTERBOX_REDIS_URL: undefined });
const signIn = () => signInAt(BASE);
const signOut = (jar) => signOutAt(BASE, jar);

async function conversationsPage(jar, page) {
  const r = await fetch(`${BASE}/api/conversations?folder=${encodeURIComponent(FOLDER)}&page=${page}&pageSize=${PAGE_SIZE}`, {
    headers: { Cookie: cookieHeader(jar) },
  });
  if (!r.ok) throw new Error(`conversations page ${page}: ${r.status} ${await r.text()}`);
  const body = await r.json();
  if (!body.conversations || body.messages.length !== PAGE_SIZE) throw new Error(`conversations page ${page}: ${body.messages.length} rows`);
  return body;
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
const app = await startApp();
const rows = [];
const row = (name, appMs, floorMs) => rows.push({ name, app: appMs, floor: floorMs });
let conversationsNote = "";

try {
  const floorClient = imapClient();
  await floorClient.connect();

  // The floor: the date-sorted page sent directly, on an open connection with the folder selected.
  const floorSortedPage = (page) => floorSortedPageOf(floorClient, FOLDER, page);
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
  // The same cold page beside a floor that is cold too: a new connection (connect, log in), then
  // SELECT, SORT, FETCH and PREVIEW — what the app must do right after sign-in, done directly.
  const floorFresh = await timeRuns(
    async () => {
      const client = imapClient();
      const t0 = performance.now();
      await client.connect();
      await floorSortedPageOf(client, FOLDER, 0);
      const ms = performance.now() - t0;
      await client.logout();
      return ms;
    },
    { selfTimed: true },
  );
  row("first page, cold, beside a new connection", cold, floorFresh);
  // The app's cold page runs on the sign-in's own connection (kept for the session), which has no
  // folder selected yet: beside it, the same page on an open connection whose SELECT is part of the
  // run. On a Maildir folder Dovecot reads the folder's whole dovecot-uidlist at every SELECT (6 MB for
  // 100,000 messages), so this floor grows with the folder while the selected one does not.
  const floorSelect = await timeRuns(() => floorSortedPage(0), { prepare: () => floorClient.mailboxOpen("INBOX") });
  row("first page, cold, beside SELECT + page (open connection)", cold, floorSelect);

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
  // The conversation view's first page, cold (issue 11), last: the list's session has signed out, so
  // each sign-out here purges the login's cache. A fresh sign-in, nothing cached, a new IMAP
  // session (Dovecot keeps its thread data per session). The app threads the newest 500 messages and
  // looks up their relatives; the whole folder is threaded after the answer, in the background. Its
  // floor: the same commands directly on a fresh connection (connect, log in, SELECT, UID THREAD of
  // the newest 500, FETCH, PREVIEW). Beside it, the whole-folder THREAD the page used to wait for.
  let conversationsSession = null;
  const conversationsCold = await timeRuns(
    async (jar) => {
      const page = await conversationsPage(jar, 0);
      if (page.fromCache) throw new Error("the cold conversation page was answered from the cache");
      if (!page.totalEstimated) throw new Error("the cold conversation page waited for the whole folder's THREAD");
    },
    {
      prepare: async () => {
        if (conversationsSession) {
          // The background threading of the previous run ends before its session does, so its cache
          // write cannot outlive the sign-out's purge and make this run warm.
          const settled = Date.now() + 60_000;
          while ((await conversationsPage(conversationsSession, 0)).totalEstimated && Date.now() < settled) await sleep(200);
          await signOut(conversationsSession);
        }
        conversationsSession = await signIn();
        return conversationsSession;
      },
    },
  );
  const freshFloor = (newest) => async () => {
    const client = imapClient();
    const t0 = performance.now();
    await client.connect();
    await floorThreadPage(client, FOLDER, 0, { newest });
    const ms = performance.now() - t0;
    await client.logout();
    return ms;
  };
  const conversationsColdFloor = await timeRuns(freshFloor(500), { selfTimed: true });
  const wholeThreadCold = await timeRuns(freshFloor(0), { selfTimed: true });
  row("conversations on, first page, cold (right after sign-in)", conversationsCold, conversationsColdFloor);
  // Warm: the whole folder was threaded in the background after the cold answer.
  const settled = Date.now() + 60_000;
  while ((await conversationsPage(conversationsSession, 0)).totalEstimated && Date.now() < settled) await sleep(200);
  const floorThreadOpen = await timeRuns(() => floorThreadPage(floorClient, FOLDER, 0));
  row("conversations on, first page, warm (cache)", await timeRuns(() => conversationsPage(conversationsSession, 0)), floorThreadOpen);
  await signOut(conversationsSession);
  conversationsNote =
    `\nconversations on ÷ off, first page cold: ${(conversationsCold / cold).toFixed(2)}× (${conversationsCold.toFixed(0)} ms vs ${cold.toFixed(0)} ms; target ≤ 1.5×); ` +
    `the whole-folder UID THREAD page on a fresh connection it no longer waits for: ${wholeThreadCold.toFixed(0)} ms`;

  await floorClient.logout();
} finally {
  await stopApp(app);
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(
  `\nList cache on ${COUNT.toLocaleString()} messages (${FOLDER}), median of ${RUNS} runs; floor = the same page with imapflow on an open connection`,
);
printRows(rows);
console.log("Targets (issue 14): warm first page ≤ 0.5 × floor; cold first page ≤ 1.5 × floor.");
if (conversationsNote) console.log(conversationsNote.trim());
