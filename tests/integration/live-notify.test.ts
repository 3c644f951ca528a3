import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImapFlow } from "imapflow";
import { subscribeEvents } from "@/lib/events";
import { attachLiveWatch, isWatching, stopAllLiveWatches } from "@/lib/mail/live/watch-mailbox";
import type { FolderCounts, MailEvent } from "@/lib/mail/types";
import { accountFor, rawClient, requireStackEnv, waitFor } from "./support";

// Issue 11: where the server offers NOTIFY (RFC 5465; the project's Dovecot does), other folders'
// counts follow at once, not at the next LIST-STATUS round. The round is set to ten minutes here
// (read once, at the first serverConfig()), so only NOTIFY can bring these events in time.
process.env.LETTERBOX_LIVE_COUNTS_MS = "600000";

requireStackEnv();
// frank's mailbox is the live-updates tests' own (scripts/mail-stack/mail-stack.sh).
const frank = { login: "frank@example.test", password: "frank-password" };
const events: MailEvent[] = [];
let raw: ImapFlow;
let unsubscribe: () => Promise<void>;
let detach: () => void = () => undefined;

beforeAll(async () => {
  raw = await rawClient(frank);
  unsubscribe = await subscribeEvents(frank.login, (event) => events.push(event));
});

afterAll(async () => {
  detach();
  await stopAllLiveWatches();
  await unsubscribe();
  await raw.logout().catch(() => raw.close());
});

const message = (subject: string) =>
  `From: Grace <grace@example.test>\r\nTo: frank@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, "")}.${Date.now()}@example.test>\r\nDate: ${new Date().toUTCString()}\r\n\r\nHello\r\n`;

/** The newest counts the watch published for `path` after event number `after`. */
const countsOf = (path: string, after: number): FolderCounts | undefined =>
  events
    .slice(after)
    .flatMap((e) => (e.type === "counts" ? e.folders : []))
    .filter((f) => f.path === path)
    .at(-1);

describe("other folders' counts under NOTIFY", () => {
  it("follow an arrival, a flag change and an expunge in another folder within seconds", async () => {
    detach = attachLiveWatch(accountFor(frank));
    await waitFor("the watch to start", () => isWatching(frank.login) && events.some((e) => e.type === "resync"), 20_000);
    const status = await raw.status("Archive", { messages: true, unseen: true });
    if (!status) throw new Error("no STATUS for Archive");
    const before = { messages: status.messages ?? 0, unseen: status.unseen ?? 0 };

    let mark = events.length;
    const appended = await raw.append("Archive", message(`Notify ${Date.now()}`));
    const uid = appended && appended.uid;
    expect(uid).toBeTruthy();
    await waitFor("Archive's counts after the arrival", () => countsOf("Archive", mark)?.total === before.messages + 1, 5000);
    expect(countsOf("Archive", mark)?.unread).toBe(before.unseen + 1);

    const lock = await raw.getMailboxLock("Archive");
    try {
      mark = events.length;
      await raw.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
      await waitFor("Archive's unread count after the flag change", () => countsOf("Archive", mark)?.unread === before.unseen, 5000);

      mark = events.length;
      await raw.messageDelete(String(uid), { uid: true });
      await waitFor("Archive's counts after the expunge", () => countsOf("Archive", mark)?.total === before.messages, 5000);
    } finally {
      lock.release();
    }
  });
});
