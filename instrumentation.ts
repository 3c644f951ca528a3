// Runs once when the server starts: a bad configuration stops it here, with a message naming the
// variable, instead of surfacing later as a failed sign-in.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { serverConfig } = await import("@/lib/env");
  try {
    serverConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
