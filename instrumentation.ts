// Runs once when the server starts. Next compiles this file for the Edge runtime as well; the
// Node-only work (process.exit, the store's drivers, the worker) lives in its own modules, imported
// only inside a literal NEXT_RUNTIME === "nodejs" test, which the Edge build removes with the imports.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationOrExit } = await import("@/lib/check-configuration");
    await checkConfigurationOrExit();
    // Background jobs run in every instance (a lease per job lets one of them run it), unless
    // this deployment runs them apart with `npm run worker`.
    if (process.env.LETTERBOX_WORKER !== "0") {
      const { runWorker } = await import("@/lib/jobs/run-worker");
      runWorker({ exitOnSignal: false });
    }
  }
}
