import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

/** Starts the built app with `env` and resolves with its exit code and output once it stops. */
function startApp(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", "3199", "-H", "127.0.0.1"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test("a bad configuration stops the app at start, naming the variable", async () => {
  const { code, output } = await startApp({ ...process.env, MAIL_IMAP_URL: "http://mail.example.org", AUTH_SECRET: "short" });
  expect(code).not.toBe(0);
  expect(output).toContain("MAIL_IMAP_URL: scheme must be one of imap, imaps");
  expect(output).toContain("AUTH_SECRET: must be at least 32 characters");
});

test("an unreachable Redis stops the app at start, naming LETTERBOX_REDIS_URL", async () => {
  const { code, output } = await startApp({ ...process.env, LETTERBOX_REDIS_URL: "redis://127.0.0.1:1/0" });
  expect(code).not.toBe(0);
  expect(output).toContain("cannot reach Redis at redis://127.0.0.1:1/0 (LETTERBOX_REDIS_URL)");
});

test("a corrupt store file stops the app at start, naming its path", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "letterbox-corrupt-"));
  try {
    writeFileSync(path.join(dir, "letterbox.sqlite"), "not a database ".repeat(200));
    const { code, output } = await startApp({ ...process.env, LETTERBOX_REDIS_URL: "", LETTERBOX_DATA_DIR: dir });
    expect(code).not.toBe(0);
    expect(output).toContain(`cannot open its store at ${path.join(dir, "letterbox.sqlite")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a data folder that cannot be created stops the app at start, naming its path", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "letterbox-blocked-"));
  try {
    // A regular file where the folder should be: creating it fails even for root, which ignores modes.
    writeFileSync(path.join(dir, "blocker"), "");
    const dataDir = path.join(dir, "blocker", "data");
    const { code, output } = await startApp({ ...process.env, LETTERBOX_REDIS_URL: "", LETTERBOX_DATA_DIR: dataDir });
    expect(code).not.toBe(0);
    expect(output).toContain(`cannot open its store at ${path.join(dataDir, "letterbox.sqlite")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
