import { defineConfig } from "@playwright/test";
// The bench launches Chromium with the same flags (scripts/bench/letterbox-browser.mjs).
import chromiumArgs from "./scripts/lib/chromium-args.json";

const port = Number(process.env.E2E_PORT ?? 3100);

const HOSTILE = "hostile.spec.ts";
// Specs that stop, kill or restart a server (Postfix, Dovecot, the app) or start app instances of
// their own: nothing may run beside them.
const DISRUPTIVE = [
  "configuration.spec.ts",
  "faults.spec.ts",
  "first-paint.spec.ts",
  "live-updates.spec.ts",
  "outbox.spec.ts",
  "restart.spec.ts",
  "sessions.spec.ts",
  "snippets.spec.ts",
  "two-instances.spec.ts",
];

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  // The hostile corpus (131 messages opened one by one, the longest spec by far, on a mailbox of
  // its own) runs beside the specs that leave the servers alone, one spec at a time; the specs that
  // stop or restart Postfix, Dovecot or an app, or start apps of their own, come after both, alone.
  // Specs share users, so within a lane they never overlap.
  workers: 2,
  projects: [
    { name: "hostile corpus", testMatch: HOSTILE, workers: 1 },
    { name: "suite", testIgnore: [HOSTILE, ...DISRUPTIVE], workers: 1 },
    { name: "servers stopped and restarted", testMatch: DISRUPTIVE, workers: 1, dependencies: ["hostile corpus", "suite"] },
  ],
  retries: 0,
  // A stray test.only would silently skip the rest of the suite: CI (and npm test) refuses it.
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Without the background-networking flags Chromium keeps dialing out on a closed network.
      args: chromiumArgs,
    },
  },
  webServer: {
    command: `npx next start -p ${port} -H 127.0.0.1`,
    url: `http://127.0.0.1:${port}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    // The hostile and image-proxy tests serve "remote" images from loopback, which the image proxy
    // refuses; this test-only allowlist (honoured only with MAIL_TEST_MODE=1) lets it through.
    env: { AUTH_TRUST_HOST: "1", LETTERBOX_PROXY_ALLOW_HOSTS: "127.0.0.1" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
