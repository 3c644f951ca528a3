import { describe, expect, it } from "vitest";
import { BatchError } from "./batches";
import { chunk, runInBatches } from "./run-in-batches";

describe("chunk", () => {
  it("splits into batches of the size, the last one shorter", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 2)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});

describe("runInBatches", () => {
  it("runs batches in order and reports progress after each", async () => {
    const seen: number[][] = [];
    const progress: number[] = [];
    const results = await runInBatches(
      [1, 2, 3, 4, 5],
      async (batch) => {
        seen.push(batch);
        return batch.length;
      },
      (done) => progress.push(done),
      2,
    );
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    expect(progress).toEqual([2, 4, 5]);
    expect(results).toEqual([2, 2, 1]);
  });

  it("stops at the failing batch and says how far it got", async () => {
    let calls = 0;
    const failing = runInBatches(
      [1, 2, 3, 4, 5],
      async (batch) => {
        calls += 1;
        if (batch[0] === 3) throw new Error("server said no");
        return batch;
      },
      () => undefined,
      2,
    );
    await expect(failing).rejects.toBeInstanceOf(BatchError);
    await failing.catch((e: BatchError<number[]>) => {
      expect(e.done).toBe(2);
      expect(e.results).toEqual([[1, 2]]);
      expect(e.message).toBe("server said no");
    });
    expect(calls).toBe(2);
  });
});
