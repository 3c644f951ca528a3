import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { backgroundCredentialReasons } from "@/lib/auth/background-credentials";
import { startWorker } from "@/lib/jobs";
import { addPop3Account, listPop3Accounts, removePop3Account } from "@/lib/mail/fetch-pop3";
import { pop3ScheduleJob } from "@/lib/mail/fetch-pop3/pop3-fetch-job";
import { connectPop3 } from "@/lib/mail/pop3";
import { getStore } from "@/lib/store";
import { accountFor, users } from "./support";
import { appendToInbox, dave, deleteFolder, emptyInbox, pop3Ports, readFolder, testMessage } from "./pop3-support";

// A stored POP3 account fetched by the background worker (lib/jobs) on its schedule, with the real
// store, the real Dovecot POP3 and IMAP, and the passwords kept for background work.
const { host, pop3 } = pop3Ports();

describe("POP3 accounts fetched by the worker", () => {
  it("fetches on schedule with the kept credentials, stores no password in the clear, and forgets both on removal", async () => {
    await emptyInbox(dave);
    const originals = [testMessage("Scheduled one"), testMessage("Scheduled two")];
    await appendToInbox(dave, originals);
    const session = accountFor(users.carol);
    const folder = `POP3 scheduled ${randomUUID().slice(0, 8)}`;
    const view = await addPop3Account(session, {
      host,
      port: pop3,
      security: "starttls",
      login: dave.login,
      password: dave.password,
      folder,
      mode: "delete",
    });
    try {
      // Saving created the folder (empty), before any fetch.
      expect(view.folder).toBe(folder);
      expect(await readFolder(users.carol, folder)).toHaveLength(0);
      expect(await backgroundCredentialReasons(users.carol.login)).toContain(`pop3:${view.id}`);
      const stored = await (await getStore()).records.get(`pop3-accounts:${users.carol.login}`, view.id);
      expect(JSON.stringify(stored)).not.toContain(dave.password);
      expect(JSON.stringify(view)).not.toContain("sealed");

      // The scheduler's minute comes at once here; the worker then runs the queued fetch.
      const abort = new AbortController();
      await pop3ScheduleJob.run(null as never, { id: "test", attempt: 1, signal: abort.signal });
      const worker = startWorker({ pollMs: 100, onError: () => undefined });
      try {
        for (const started = Date.now(); Date.now() - started < 30_000; ) {
          const [account] = await listPop3Accounts(users.carol.login);
          if (account?.status.lastRunAt) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await worker.stop();
      }
      const [account] = await listPop3Accounts(users.carol.login);
      expect(account?.status).toMatchObject({ lastFetched: 2, totalFetched: 2, lastError: null });
      expect(Date.parse(account!.status.nextRunAt!)).toBeGreaterThan(Date.now() + 4 * 60_000);
      expect(await readFolder(users.carol, folder)).toHaveLength(2);
      const check = await connectPop3({ host, port: pop3, security: "starttls", ...dave, tlsInsecure: true });
      expect(await check.listUniqueIds()).toHaveLength(0);
      await check.quit();
    } finally {
      await removePop3Account(session, view.id);
    }
    expect(await listPop3Accounts(users.carol.login)).toHaveLength(0);
    expect(await backgroundCredentialReasons(users.carol.login)).not.toContain(`pop3:${view.id}`);
    // Removing the account never touches the mail it fetched.
    expect(await readFolder(users.carol, folder)).toHaveLength(2);
    await deleteFolder(users.carol, folder);
  }, 90_000);
});
