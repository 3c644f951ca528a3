import { describe, expect, it } from "vitest";
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
    await new Promise((r) => setTimeout(r, 0));
    expect(await runOnce("alice", "k2", failing)).toBe("sent");
  });
});
