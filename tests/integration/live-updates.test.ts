import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImapFlow } from "imapflow";
import { subscribeEvents } from "@/lib/events";
import { closeAccountConnections, loginConnectionCount, watchConnectionCount, watchSessionKeys, withImapClient } from "@/lib/mail/imap/pool";
import { attachLiveWatch, isWatching, stopAllLiveWatches } from "@/lib/mail/live/watch-mailbox";
import type { MailEvent } from "@/lib/mail/types";
import { getStore } from "@/lib/store";
import { accountFor, mailStack, rawClient, requireStackEnv, serverSessionsOf, waitFor } from "./support";

// Short grace and counts interval for the test; read once, at the first serverConfig().
process.env.LETTERBOX_LIVE_GRACE_MS = "400";
process.env.LETTERBOX_LIVE_COUNTS_MS = "1000";

requireStackEnv();
// frank's mailbox is the live-updates tests' own (scripts/mail-stack/mail-stack.sh).
const frank = { login: "frank@example.test", password: "frank-password" };
const events: MailEvent[] = [];
let raw: ImapFlow;
let unsubscribe: () => Promise<void>;

beforeAll(async () => {
  raw = await rawClient(frank);
  unsubscribe = await subscribeEvents(frank.login, (event) => events.push(event));
});

afterAll(async () => {
  await stopAllLiveWatches();
  await unsubscribe();
  await raw.logout().catch(() => raw.close());
});

const message = (subject: string) =>
  `From: Grace <grace@example.test>\r\nTo: frank@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, "")}.${Date.now()}@example.test>\r\nDate: ${new Date().toUTCString()}\r\n\r\nHello\r\n`;

function find<T extends MailEvent["type"]>(type: T, test: (e: Extract<MailEvent, { type: T }>) => boolean = () => true) {
  return events.find((e): e is Extract<MailEvent, { type: T }> => e.type === type && test(e as Extract<MailEvent, { type: T }>));
}

describe("the live watch of a login's Inbox", () => {
  const session = accountFor(frank);
  let detach: () => void = () => undefined;

  it("reports arrivals, flag changes and expunges made by another client, each naming the message", async () => {
    detach = attachLiveWatch(session);
    await waitFor("the watch to start and announce itself", () => isWatching(frank.login) && !!find("resync"));

    const subject = `Live arrival ${Date.now()}`;
    await raw.append("INBOX", message(subject));
    await waitFor("the new-mail event", () => !!find("new-mail", (e) => e.messages?.some((m) => m.subject === subject) ?? false));
    const arrived = find("new-mail", (e) => e.messages?.some((m) => m.subject === subject) ?? false)!;
    const uid = arrived.messages!.find((m) => m.subject === subject)!.uid;
    expect(arrived).toMatchObject({ folder: "INBOX", uidValidity: expect.any(String) });
    expect(arrived.messages!.find((m) => m.uid === uid)).toMatchObject({ from: { name: "Grace", address: "grace@example.test" }, seen: false });

    const lock = await raw.getMailboxLock("INBOX");
    try {
      await raw.messageFlagsAdd(String(uid), ["\\Seen", "\\Flagged"], { uid: true });
      await waitFor("the flags event", () => !!find("flags-changed", (e) => e.uid === uid && e.flags.seen && e.flags.flagged));
      await raw.messageDelete(String(uid), { uid: true });
    } finally {
      lock.release();
    }
    // With QRESYNC (Dovecot has it) the expunge names the UID; without, it names none (null).
    await waitFor("the expunge event", () => !!find("expunged", (e) => e.uids === null || e.uids.includes(uid)));
    expect(find("expunged")?.uids).toEqual([uid]);
  });

  it("reports other folders' counts from LIST-STATUS on the same connection", async () => {
    const subject = `Filed elsewhere ${Date.now()}`;
    await raw.append("Archive", message(subject));
    await waitFor("a counts event for Archive", () => !!find("counts", (e) => e.folders.some((f) => f.path === "Archive")), 15_000);
    // One connection for the whole mailbox, however many folders: never one per folder.
    expect(watchConnectionCount(frank.login)).toBe(1);
  });

  it("counts its connection in the login's budget, so busy sessions stay under the server's limit", async () => {
    const sessions = [accountFor(frank), accountFor(frank), accountFor(frank)];
    try {
      for (const s of sessions) {
        // Three overlapping requests per session, as a list, a body and an image would make.
        let holding = 0;
        let release: () => void = () => undefined;
        const together = new Promise<void>((resolve) => (release = resolve));
        await Promise.all(
          [0, 1, 2].map(() =>
            withImapClient(s, async (client) => {
              await client.noop();
              if (++holding === 3) release();
              await together;
            }),
          ),
        );
      }
      // The budget is twice MAIL_IMAP_MAX_CONNECTIONS (default 3): the watch is one of the six.
      expect(watchConnectionCount(frank.login)).toBe(1);
      expect(loginConnectionCount(frank.login)).toBeLessThanOrEqual(6);
      expect(isWatching(frank.login)).toBe(true);
    } finally {
      await Promise.all(sessions.map((s) => closeAccountConnections(s.key)));
    }
  });

  it("reconnects when the server restarts, and reports mail delivered as it comes back", async () => {
    raw.close();
    const resyncs = events.filter((e) => e.type === "resync").length;
    mailStack("imap-stop");
    try {
      await waitFor("the watch to notice", () => !isWatching(frank.login));
    } finally {
      mailStack("imap-start");
    }
    // Delivered as the server comes back, before or after the watch is: reported either way (a new
    // watch starts from the UID where the old one stopped).
    const subject = `While away ${Date.now()}`;
    raw = await rawClient(frank);
    await raw.append("INBOX", message(subject));
    await waitFor("the watch to come back", () => isWatching(frank.login) && events.filter((e) => e.type === "resync").length > resyncs, 20_000);
    await waitFor("the arrival to be reported", () => !!find("new-mail", (e) => e.messages?.some((m) => m.subject === subject) ?? false));
  });

  it("keeps watching through a reload, and logs out after the grace period once the last stream ended", async () => {
    detach();
    // A new stream within the grace period (a reload) finds the same watch.
    const again = attachLiveWatch(session);
    expect(watchConnectionCount(frank.login)).toBe(1);
    again();
    expect(isWatching(frank.login)).toBe(true);
    await waitFor("the watch to end after the grace period", () => watchConnectionCount(frank.login) === 0, 5000);
    expect(await (await getStore()).leases.holder(`live-watch:${frank.login}`)).toBeNull();
    await waitFor("the server to see the connection go", () => serverSessionsOf(frank.login) === 1);
  });

  it("a session that signs out takes its IDLE connection along; another tab's session watches on", async () => {
    const staying = accountFor(frank);
    const leaving = accountFor(frank);
    const detachStaying = attachLiveWatch(staying);
    const detachLeaving = attachLiveWatch(leaving);
    // The watch opens with the newest stream's session.
    await waitFor("the watch to open", () => watchSessionKeys(frank.login).includes(leaving.key), 20_000);
    // Sign-out logs out the session's connections (lib/auth/auth-options.ts): never reopened with it.
    await closeAccountConnections(leaving.key);
    await waitFor("the watch to reopen with the session still signed in", () => watchSessionKeys(frank.login).includes(staying.key), 20_000);
    expect(watchSessionKeys(frank.login)).toEqual([staying.key]);
    detachLeaving();
    detachStaying();
  });
});
