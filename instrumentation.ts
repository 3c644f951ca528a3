// Runs once when the server starts: a bad configuration stops it here, with a message naming the
// variable, instead of surfacing later as a failed sign-in.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { serverConfig } = await import("@/lib/env");
  try {
    serverConfig();
    // Opens the store now (and runs its migrations), so an unreachable Redis or an unusable SQLite
    // file stops the server with a message naming LETTERBOX_REDIS_URL or the path.
    const { getStore } = await import("@/lib/store");
    await getStore();
    // Background jobs run in every instance (a lease per job lets one of them run it), unless
    // this deployment runs them apart with `npm run worker`.
    if (process.env.LETTERBOX_WORKER !== "0") {
      const { runWorker } = await import("@/lib/jobs/run-worker");
      // Next exits at once on SIGTERM unless NEXT_MANUAL_SIG_HANDLE is set: then the worker lets
      // running jobs finish (or hands them back) and exits itself (docs/deployment.md).
      runWorker({ exitOnSignal: process.env.NEXT_MANUAL_SIG_HANDLE === "1" });
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
