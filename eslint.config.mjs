import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The architecture is held by lint, not only described: each external system may be imported
// from its one folder only (docs/architecture.md says why).
const restricted = (allowedIn, names, message) => ({
  files: ["**/*.{ts,tsx,js,mjs}"],
  ignores: [`${allowedIn}/**`],
  rules: {
    "no-restricted-imports": [
      "error",
      { paths: names.map((name) => ({ name, message })), patterns: names.map((n) => ({ group: [`${n}/*`], message })) },
    ],
  },
});

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
  restricted("lib/mail/imap", ["imapflow"], "Only lib/mail/imap speaks IMAP; call one of its functions instead."),
  restricted("lib/mail/smtp", ["nodemailer"], "Only lib/mail/smtp speaks SMTP; call one of its functions instead."),
  restricted(
    "lib/mail/mime",
    ["sanitize-html", "libmime", "mailparser", "postal-mime"],
    "MIME parsing and HTML sanitizing live in lib/mail/mime.",
  ),
  {
    // Components run in the browser: they reach mail only through the HTTP API.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/lib/mail/imap*", "@/lib/mail/smtp*", "@/lib/mail/mime*", "@/lib/auth/*"], message: "Components never see the protocol layer." },
          ],
        },
      ],
    },
  },
  {
    // Scripts and benchmarks measure the floor by speaking IMAP directly, on purpose.
    files: ["scripts/**", "tests/**", "e2e/**"],
    rules: { "no-restricted-imports": "off" },
  },
];

export default config;
