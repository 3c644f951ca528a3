import "server-only";
import { serverConfig } from "@/lib/env";

/**
 * At server start (instrumentation.ts): a bad configuration stops the process here, with a
 * message naming the variable, instead of surfacing later as a failed sign-in.
 */
export function checkConfigurationOrExit(): void {
  try {
    serverConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
