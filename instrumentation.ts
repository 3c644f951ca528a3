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
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
