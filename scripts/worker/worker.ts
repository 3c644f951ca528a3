// `npm run worker`: the job worker on its own, for deployments that keep background work apart
// from the app instances (which then run with LETTERBOX_WORKER=0). Same configuration as the app.
import { serverConfig } from "@/lib/env";
import { runWorker } from "@/lib/jobs/run-worker";
import { getStore } from "@/lib/store";

async function main() {
  serverConfig();
  const store = await getStore();
  const worker = runWorker({ exitOnSignal: true });
  console.info(`[letterbox] job worker ${worker.id} running on the ${store.backend} store at ${store.location}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
