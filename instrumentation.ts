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
  // Without NEXTAUTH_URL, next-auth 4 builds redirects and chooses cookie flags from
  // http://localhost:3000: sign-out started on :8080 sent the browser to another app, and cookies
  // never got Secure behind an HTTPS proxy. AUTH_TRUST_HOST makes it use the request's own host and
  // protocol instead (Host, or X-Forwarded-Host/-Proto as a proxy or Next's server sets them). A
  // deployment that needs a fixed public URL sets NEXTAUTH_URL, which still wins.
  if (!process.env.NEXTAUTH_URL && !process.env.AUTH_TRUST_HOST) process.env.AUTH_TRUST_HOST = "1";
}
