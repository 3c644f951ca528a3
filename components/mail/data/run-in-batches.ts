import { ACTION_BATCH_SIZE, BatchError } from "./batches";

export function chunk<T>(items: readonly T[], size = ACTION_BATCH_SIZE): T[][] {
  if (size < 1) throw new RangeError("batch size must be at least 1");
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs `work` on each batch in order, one at a time (the server's connection budget is small),
 * reporting how many items are done after each. Stops at the first failure and rethrows it with
 * how many were done, so the caller can say so and undo what did happen.
 */
export async function runInBatches<T, R>(
  items: readonly T[],
  work: (batch: T[]) => Promise<R>,
  onProgress: (done: number, total: number) => void,
  size = ACTION_BATCH_SIZE,
): Promise<R[]> {
  const results: R[] = [];
  let done = 0;
  for (const batch of chunk(items, size)) {
    try {
      results.push(await work(batch));
    } catch (error) {
      throw new BatchError(error, done, results);
    }
    done += batch.length;
    onProgress(done, items.length);
  }
  return results;
}
