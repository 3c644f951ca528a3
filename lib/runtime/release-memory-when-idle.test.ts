import { afterEach, describe, expect, it, vi } from "vitest";
import { releaseMemoryWhenIdle } from "./release-memory-when-idle";

describe("releaseMemoryWhenIdle", () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it("collects once the process is quiet and the heap has grown, giving the garbage back", async () => {
    const collected: { before: number; after: number }[] = [];
    ({ stop } = releaseMemoryWhenIdle({
      idleMs: 100,
      checkMs: 50,
      quietBelow: 0.9,
      minGrowthBytes: 8 * 1024 * 1024,
      onCollected: (before, after) => collected.push({ before: before.heapUsed, after: after.heapUsed }),
    }));
    // Garbage that nothing holds: about 40 MB of short strings in arrays dropped at once.
    let junk: string[][] | null = Array.from({ length: 40 }, (_, i) => Array.from({ length: 20_000 }, (_, j) => `garbage ${i} ${j} `.repeat(3)));
    expect(junk.length).toBe(40);
    junk = null;
    await vi.waitFor(() => expect(collected.length).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
    expect(collected[0]!.after).toBeLessThan(collected[0]!.before - 8 * 1024 * 1024);
  });

  it("does nothing while the heap has not grown", async () => {
    const collected: unknown[] = [];
    let quietLooks = 0;
    ({ stop } = releaseMemoryWhenIdle({
      idleMs: 50,
      checkMs: 25,
      quietBelow: 0.9,
      minGrowthBytes: 1024 ** 3,
      onCollected: () => collected.push(1),
      onChecked: (quietFor) => (quietLooks = quietFor >= 50 ? quietLooks + 1 : quietLooks),
    }));
    // Several looks past the idle time, each of which would have collected had the heap grown.
    await vi.waitFor(() => expect(quietLooks).toBeGreaterThanOrEqual(4), { timeout: 10_000, interval: 25 });
    expect(collected).toEqual([]);
  });

  it("is off with idleMs 0", () => {
    expect(() => releaseMemoryWhenIdle({ idleMs: 0 }).stop()).not.toThrow();
  });
});
