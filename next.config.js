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
        ],
      },
      {
        // Pages get a per-request policy with a nonce from proxy.ts; API answers this fixed one
        // unless the route sets its own (the message body frame, attachments), which replaces it.
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" }],
      },
    ];
  },
};

module.exports = nextConfig;
