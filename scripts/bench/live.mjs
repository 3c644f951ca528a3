// npm run bench, live updates (issue 11): the time from an SMTP delivery to the event in a connected
// browser's stream (GET /api/events), against the floor — imapflow's own IDLE `exists` event on a
// direct connection for the same delivery. Both include Postfix → LMTP → Dovecot; the app adds its
// UID FETCH of the envelope, lib/events and the SSE hop. Medians of BENCH_LIVE_RUNS deliveries.
import nodemailer from "nodemailer";
import { imapClient, median } from "./common.mjs";

const RUNS = Number(process.env.BENCH_LIVE_RUNS ?? 30);

function deadline(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms).unref());
}

/** Reads an SSE body, calling `onEvent(name, data)` per event; resolves when `stop()` is called. */
function readEvents(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const pump = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        }
        if (data.length) onEvent(name, JSON.parse(data.join("\n")));
      }
    }
  })();
  return { stop: () => reader.cancel().catch(() => undefined).then(() => pump) };
}

/**
 * @param {{ base: string, cookie: string, user: { login: string, password: string }, smtpUrl: URL,
 *   row: (name: string, app: number, floor: number) => void }} ctx
 */
export async function benchLiveUpdates({ base, cookie, user, smtpUrl, row }) {
  const transport = nodemailer.createTransport({
    host: smtpUrl.hostname,
    port: Number(smtpUrl.port),
    secure: smtpUrl.protocol === "smtps:",
    auth: { user: user.login, pass: user.password },
    tls: { rejectUnauthorized: false },
    pool: true,
  });
  const tag = `Live bench ${Date.now().toString(36)}`;
  const deliver = (subject) => transport.sendMail({ from: user.login, to: user.login, subject, text: "bench\n" });

  // The app: one stream, as a tab holds it; waits for the watch to be on (its "resync").
  const waiting = new Map();
  let watching;
  const watchingNow = new Promise((resolve) => (watching = resolve));
  const response = await fetch(`${base}/api/events`, { headers: { Cookie: cookie, Accept: "text/event-stream" } });
  if (!response.ok || !response.body) throw new Error(`/api/events: ${response.status}`);
  const stream = readEvents(response.body, (name, event) => {
    if (name !== "mail") return;
    if (event.type === "resync") watching();
    if (event.type !== "new-mail") return;
    for (const m of event.messages ?? []) waiting.get(m.subject)?.();
  });
  await Promise.race([watchingNow, deadline(30_000, "the live watch to start")]);

  const appTimes = [];
  for (let i = 0; i <= RUNS; i++) {
    const subject = `${tag} app #${i}`;
    const seen = new Promise((resolve) => waiting.set(subject, resolve));
    const t0 = performance.now();
    await deliver(subject);
    await Promise.race([seen, deadline(30_000, `the event for ${subject}`)]);
    if (i > 0) appTimes.push(performance.now() - t0); // #0 is the warm-up
  }
  await stream.stop();

  // The floor: IDLE on a direct connection, the `exists` imapflow emits for the same delivery.
  const client = imapClient(user, { autoIdleDelay: 500 });
  await client.connect();
  await client.mailboxOpen("INBOX");
  let onExists = () => undefined;
  client.on("exists", () => onExists());
  const floorTimes = [];
  for (let i = 0; i <= RUNS; i++) {
    // Let imapflow enter IDLE first, as it is between deliveries in real use.
    while (!client.idling) await new Promise((r) => setTimeout(r, 20));
    const seen = new Promise((resolve) => (onExists = resolve));
    const t0 = performance.now();
    await deliver(`${tag} floor #${i}`);
    await Promise.race([seen, deadline(30_000, "the floor's exists")]);
    if (i > 0) floorTimes.push(performance.now() - t0);
  }
  transport.close();

  // The bench's deliveries go, so runs do not pile up mail in Inbox.
  const lock = await client.getMailboxLock("INBOX");
  try {
    const uids = (await client.search({ subject: tag }, { uid: true })) || [];
    if (uids.length) await client.messageDelete(uids, { uid: true });
  } finally {
    lock.release();
  }
  await client.logout();

  row(`SMTP delivery → browser event (${RUNS})`, median(appTimes), median(floorTimes));
}
