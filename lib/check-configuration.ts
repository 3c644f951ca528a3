import "server-only";
import { serverConfig } from "@/lib/env";
import { getStore } from "@/lib/store";

/**
 * At server start (instrumentation.ts): a bad configuration stops the process here, with a
 * message naming the variable, instead of surfacing later as a failed sign-in. The store is opened
 * now too (and runs its migrations), so an unreachable Redis or an unusable SQLite file stops the
 * server with a message naming LETTERBOX_REDIS_URL or the path.
 */
export async function checkConfigurationOrExit(): Promise<void> {
  try {
    serverConfig();
    await getStore();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
