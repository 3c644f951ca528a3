import "server-only";
import { defineJob, enqueue } from "@/lib/jobs";
import { isAppError } from "@/lib/errors";
import { FETCH_INTERVAL_MS, dueAccounts, scheduleFetch } from "./pop3-schedule";
import { runPop3Account } from "./run-pop3-account";

/** One fetch of one account, run by whichever instance's worker takes it (lib/jobs lease). */
export const pop3FetchJob = defineJob<{ login: string; id: string }>({
  name: "pop3-fetch",
  // A failed fetch is recorded in the account's status and tried again at the next schedule.
  attempts: 1,
  run: async ({ login, id }, { signal }) => {
    try {
      await runPop3Account(login, id, { signal });
    } catch (error) {
      if (isAppError(error) && error.code === "POP3_ACCOUNT_NOT_FOUND") return; // removed meanwhile
      throw error;
    }
  },
});

/** Every minute: queues a fetch for each account whose time has come. */
export const pop3ScheduleJob = defineJob({
  name: "pop3-schedule",
  everyMs: 60_000,
  run: async () => {
    const now = Date.now();
    for (const { login, id } of await dueAccounts(now)) {
      // Until the run records its own next time, it is not due again (a run may take minutes).
      await scheduleFetch(login, id, now + FETCH_INTERVAL_MS);
      await enqueue("pop3-fetch", { login, id }, { id: `pop3-fetch:${id}` });
    }
  },
});
