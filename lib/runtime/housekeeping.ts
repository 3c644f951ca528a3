import "server-only";
import { serverConfig } from "@/lib/env";
import { releaseMemoryWhenIdle } from "./release-memory-when-idle";

const mb = (bytes: number) => Math.round(bytes / 1048576);

/** What the server process does for itself once started (instrumentation.ts), apart from jobs. */
export function startRuntimeHousekeeping(): void {
  releaseMemoryWhenIdle({
    idleMs: serverConfig().idleGcMs,
    onCollected: (before, after) =>
      console.info(`[letterbox] idle: heap ${mb(before.heapTotal)} → ${mb(after.heapTotal)} MB (${mb(after.heapUsed)} MB live), RSS ${mb(before.rss)} → ${mb(after.rss)} MB`),
  });
}
