// Runs once when the server starts. Next compiles this file for the Edge runtime as well; the
// Node-only work (process.exit, the store's drivers) lives in its own module, imported only inside
// a literal NEXT_RUNTIME === "nodejs" test, which the Edge build removes together with the import.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationOrExit } = await import("@/lib/check-configuration");
    await checkConfigurationOrExit();
  }
}
