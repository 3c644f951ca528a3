import "server-only";
import { defineJob } from "@/lib/jobs";
import { sweepAbandoned } from "./upload-store";

/** Abandoned uploads are deleted by one instance at a time, every 15 minutes (lib/jobs). */
export const sweepUploadsJob = defineJob({
  name: "sweep-abandoned-uploads",
  everyMs: 15 * 60_000,
  run: async () => {
    const removed = await sweepAbandoned();
    if (removed) console.info(`[letterbox] removed ${removed} abandoned upload(s)`);
  },
});
