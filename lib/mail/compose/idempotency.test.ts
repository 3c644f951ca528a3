import { describe, expect, it } from "vitest";
import { getStore } from "@/lib/store";
import { runOnce } from "./idempotency";

describe("runOnce", () => {
  it("runs the work once for concurrent and later calls with the same key", async () => {
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return runs;
    };
    const [a, b] = await Promise.all([runOnce("alice", "k1", work), runOnce("alice", "k1", work)]);
    const c = await runOnce("alice", "k1", work);
    expect([a, b, c]).toEqual([1, 1, 1]);
    expect(runs).toBe(1);
    await runOnce("bob", "k1", work);
    expect(runs).toBe(2);
  });

  it("lets a failed attempt be retried with the same key", async () => {
    let runs = 0;
    const failing = async () => {
      runs++;
      if (runs === 1) throw new Error("unreachable");
      return "sent";
    };
    await expect(runOnce("alice", "k2", failing)).rejects.toThrow("unreachable");
    expect(await runOnce("alice", "k2", failing)).toBe("sent");
  });

  it("keeps a committed outcome even when the rest of the work fails", async () => {
    await expect(
      runOnce("alice", "k3", async ({ commit }) => {
        await commit("accepted");
        throw new Error("filing in Sent failed");
      }),
    ).rejects.toThrow("filing in Sent");
    let again = 0;
    expect(await runOnce("alice", "k3", async () => `${++again}`)).toBe("accepted");
    expect(again).toBe(0);
  });

  it("refuses to run again a claim whose process died mid-work (SEND_IN_DOUBT)", async () => {
    // What a process that died after claiming leaves behind: a running claim with an old heartbeat.
    const store = await getStore();
    await store.kv.set("idempotency:alice:k4", { state: "running", owner: "gone", beat: Date.now() - 60_000 });
    let runs = 0;
    await expect(runOnce("alice", "k4", async () => ++runs)).rejects.toMatchObject({ code: "SEND_IN_DOUBT" });
    expect(runs).toBe(0);
  });
});
