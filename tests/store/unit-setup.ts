import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { closeStore } from "@/lib/store";

// Unit tests of modules that keep state get a real SQLite store of their own, in a fresh folder per
// test file, so no test sees another's entries and nothing lands in the checkout's .data/.
let dir: string | undefined;
beforeAll(async () => {
  await closeStore();
  dir = mkdtempSync(path.join(os.tmpdir(), "letterbox-unit-"));
  process.env.LETTERBOX_DATA_DIR = dir;
  delete process.env.LETTERBOX_REDIS_URL;
});
afterAll(async () => {
  await closeStore();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
