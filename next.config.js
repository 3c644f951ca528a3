// Powerful features the app never uses, switched off for it and anything it frames (W3C Permissions
// Policy). Only names Chromium knows: an unknown one is logged as an error on every page.
const PERMISSIONS_POLICY = [
  "camera=()",
  "microphone=()",
  "geolocation=()",
  "payment=()",
  "usb=()",
  "serial=()",
  "hid=()",
  "bluetooth=()",
  "display-capture=()",
].join(", ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native module, loaded by Node at run time (lib/store).
  // imapflow pulls in pino and its worker transport, which a bundler cannot follow; Node loads them.
  serverExternalPackages: ["imapflow", "nodemailer", "pino", "thread-stream", "better-sqlite3", "ioredis"],
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Frame-Options", value: "SAMEORIGIN" },
          { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
          // No Content-Security-Policy here: a header set here replaces the one a route sets. Pages
          // get theirs with a nonce from proxy.ts, API answers from lib/api/route.ts.
        ],
      },
    ];
  },
};

module.exports = nextConfig;
