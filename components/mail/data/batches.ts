// Whole-folder actions go to the server in batches: each request stays small and quick, the user
// sees progress, and a failure stops after the batch that failed instead of leaving one huge
// command half done with no word of how far it got.

export const ACTION_BATCH_SIZE = 500;

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

export class BatchError<R = unknown> extends Error {
  constructor(
    readonly cause: unknown,
    readonly done: number,
    readonly results: R[],
  ) {
    super(cause instanceof Error ? cause.message : "A batch failed");
  }
}
