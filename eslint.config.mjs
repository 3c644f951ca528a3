import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The architecture is held by lint, not only described: each external system may be imported
// from its one folder only (docs/architecture.md says why).
const boundaries = [
  { folder: "lib/mail/imap", names: ["imapflow"], message: "Only lib/mail/imap speaks IMAP; call one of its functions instead." },
  { folder: "lib/mail/smtp", names: ["nodemailer"], message: "Only lib/mail/smtp speaks SMTP; call one of its functions instead." },
  {
    folder: "lib/mail/mime",
    names: ["sanitize-html", "libmime", "mailparser", "postal-mime"],
    message: "MIME parsing and HTML sanitizing live in lib/mail/mime.",
  },
  {
    folder: "lib/store",
    names: ["better-sqlite3", "ioredis", "node:sqlite"],
    message: "Only lib/store knows SQLite or Redis: use getStore() from @/lib/store.",
  },
  {
    folder: "lib/mail/pop3",
    names: ["node:net", "node:tls", "net", "tls"],
    message: "Only lib/mail/pop3 opens sockets: it is the one place that speaks POP3; import its client from @/lib/mail/pop3.",
  },
];

// ESLint's flat config replaces a rule's options per matching block rather than merging them, so
// each file gets one rule holding every boundary except its own folder's.
const restrictionsFor = (except, extraPatterns = []) => {
  const kept = boundaries.filter((b) => b !== except);
  return {
    "no-restricted-imports": [
      "error",
      {
        paths: kept.flatMap((b) => b.names.map((name) => ({ name, message: b.message }))),
        patterns: [...kept.flatMap((b) => b.names.map((n) => ({ group: [`${n}/*`], message: b.message }))), ...extraPatterns],
      },
    ],
  };
};
const sockets = boundaries.find((b) => b.folder === "lib/mail/pop3");
const restricted = [
  { files: ["**/*.{ts,tsx,js,mjs}"], rules: restrictionsFor(null) },
  ...boundaries.map((b) => ({ files: [`${b.folder}/**/*.{ts,tsx,js,mjs}`], rules: restrictionsFor(b) })),
  // The image proxy checks every address it connects to (net's BlockList and its DNS lookup hook);
  // it speaks only HTTP, through node:http.
  { files: ["lib/image-proxy/**/*.{ts,tsx,js,mjs}"], rules: restrictionsFor(sockets) },
];

const config = [
  { ignores: [".next/**", "node_modules/**", ".data/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "import/no-cycle": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...restricted,
  {
    // Components run in the browser: they reach mail only through the HTTP API.
    files: ["components/**/*.{ts,tsx}"],
    rules: restrictionsFor(null, [
      {
        group: ["@/lib/mail/imap*", "@/lib/mail/smtp*", "@/lib/mail/mime*", "@/lib/auth/*", "@/lib/store*", "@/lib/mail/pop3*"],
        message: "Components never see the protocol layer.",
      },
    ]),
  },
  {
    // Scripts and benchmarks measure the floor by speaking IMAP directly, on purpose.
    files: ["scripts/**", "tests/**", "e2e/**"],
    rules: { "no-restricted-imports": "off" },
  },
];

export default config;
