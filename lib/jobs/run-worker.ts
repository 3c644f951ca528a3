import "server-only";
import "./definitions";
import { startWorker, type Worker } from "./index";

/**
 * The worker of this process: started from instrumentation.ts inside the app (unless
 * LETTERBOX_WORKER=0, for deployments that run `npm run worker` apart), or by scripts/worker.ts.
 * On SIGTERM/SIGINT it stops taking jobs and lets running ones finish (or hands them back).
 */
export function runWorker(options: { exitOnSignal: boolean }): Worker {
  const worker = startWorker({ keepAlive: options.exitOnSignal });
  let stopping: Promise<void> | null = null;
  const stop = (signal: NodeJS.Signals) => {
    stopping ??= worker.stop().finally(() => {
      console.info(`[letterbox] job worker stopped (${signal})`);
      if (options.exitOnSignal) process.exit(0);
    });
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return worker;
}
