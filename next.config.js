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
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
