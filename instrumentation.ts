// Runs once when the server starts. Next compiles this file for the Edge runtime as well; the
// Node-only work (process.exit, the store's drivers, the worker) lives in its own modules, imported
// only inside a literal NEXT_RUNTIME === "nodejs" test, which the Edge build removes with the imports.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationOrExit } = await import("@/lib/check-configuration");
    await checkConfigurationOrExit();
    const { startRuntimeHousekeeping } = await import("@/lib/runtime/housekeeping");
    startRuntimeHousekeeping();
    // Background jobs run in every instance (a lease per job lets one of them run it), unless
    // this deployment runs them apart with `npm run worker`.
    if (process.env.LETTERBOX_WORKER !== "0") {
      const { runWorker } = await import("@/lib/jobs/run-worker");
      // Next exits at once on SIGTERM unless NEXT_MANUAL_SIG_HANDLE is set: then the worker lets
      // running jobs finish (or hands them back) and exits itself (docs/deployment.md).
      runWorker({ exitOnSignal: process.env.NEXT_MANUAL_SIG_HANDLE === "1" });
    }
  }
  // Without NEXTAUTH_URL, next-auth 4 builds redirects and chooses cookie flags from
  // http://localhost:3000: sign-out started on :8080 sent the browser to another app, and cookies
  // never got Secure behind an HTTPS proxy. AUTH_TRUST_HOST makes it use the request's own host and
  // protocol instead (Host, or X-Forwarded-Host/-Proto as a proxy or Next's server sets them). A
  // deployment that needs a fixed public URL sets NEXTAUTH_URL, which still wins.
  if (!process.env.NEXTAUTH_URL && !process.env.AUTH_TRUST_HOST) process.env.AUTH_TRUST_HOST = "1";
}
