import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeStoreContract } from "@/tests/store/contract";
import { openConfiguredStore, StoreStartupError } from "./index";

const dir = mkdtempSync(path.join(os.tmpdir(), "letterbox-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract("sqlite", () => openConfiguredStore({ LETTERBOX_DATA_DIR: path.join(dir, "contract") }));

describe("sqlite store", () => {
  it("keeps what it holds across a close and reopen (a restart), and migrates once", async () => {
    const env = { LETTERBOX_DATA_DIR: path.join(dir, "restart") };
    const first = await openConfiguredStore(env);
    await first.kv.set("session:1", { login: "alice@example.test" }, { ttlMs: 60_000 });
    await first.records.put("book:alice", "bob@example.test", { uses: 2 }, { sortKey: 5 });
    await first.close();
    const second = await openConfiguredStore(env);
    expect(await second.kv.get("session:1")).toEqual({ login: "alice@example.test" });
    expect(await second.records.count("book:alice")).toBe(1);
    await second.close();
  });

  it("lets several processes start on a new file at once: one migrates, the others wait and see it", async () => {
    const file = path.join(dir, "together", "letterbox.sqlite");
    // Plain better-sqlite3 through the store's own open, in separate processes (one thread each).
    // All open at one agreed moment, after their (unequal) start-up, so their migrations overlap.
    const goAt = Date.now() + 3_000;
    const script = `require("tsx/cjs"); const { openSqliteStore } = require(${JSON.stringify(path.join(__dirname, "sqlite.ts"))});
      while (Date.now() < ${goAt});
      openSqliteStore({ file: ${JSON.stringify(file)} }).close().then(() => console.log("opened"));`;
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<string>((resolve) =>
          execFile(process.execPath, ["--conditions=react-server", "-e", script], { cwd: path.resolve(__dirname, "../..") }, (error, stdout, stderr) =>
            resolve(error ? `failed: ${stderr.split("\n").find((l) => l.includes("Error")) ?? error.message}` : stdout.trim()),
          ),
        ),
      ),
    );
    expect(runs).toEqual(["opened", "opened", "opened", "opened"]);
    // Four Node processes loading tsx take seconds on a busy machine (npm test runs the unit tests
    // beside lint and the type check): the default 5 s is for tests that stay in this process.
  }, 60_000);

  it("refuses to start on a corrupt file, naming the path", async () => {
    const dataDir = path.join(dir, "corrupt");
    const env = { LETTERBOX_DATA_DIR: dataDir };
    await (await openConfiguredStore(env)).close();
    const file = path.join(dataDir, "letterbox.sqlite");
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    writeFileSync(file, "this is not a database, just a text file that took its place ".repeat(100));
    const opening = openConfiguredStore(env);
    await expect(opening).rejects.toBeInstanceOf(StoreStartupError);
    await expect(opening).rejects.toThrow(file);
    await expect(opening).rejects.toThrow(/LETTERBOX_DATA_DIR/);
  });

  it("refuses to start when the data folder cannot be created, naming the path", async () => {
    // A regular file where the folder should be: mkdir fails even for root, which ignores modes.
    const blocker = path.join(dir, "blocker");
    writeFileSync(blocker, "");
    const opening = openConfiguredStore({ LETTERBOX_DATA_DIR: path.join(blocker, "data") });
    await expect(opening).rejects.toBeInstanceOf(StoreStartupError);
    await expect(opening).rejects.toThrow(path.join(blocker, "data", "letterbox.sqlite"));
  });

  it("turns a failure while running into STORE_UNAVAILABLE", async () => {
    const store = await openConfiguredStore({ LETTERBOX_DATA_DIR: path.join(dir, "closed") });
    await store.close();
    await expect(store.kv.get("x")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  });
});
