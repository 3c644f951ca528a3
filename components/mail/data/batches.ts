// Whole-folder actions go to the server in batches: each request stays small and quick, the user
// sees progress, and a failure stops after the batch that failed instead of leaving one huge
// command half done with no word of how far it got.

export const ACTION_BATCH_SIZE = 500;

// The runner itself (run-in-batches.ts) loads with the first action: the first visit's JavaScript
// is at its budget, and this file keeps only what callers test against before any action.

export class BatchError<R = unknown> extends Error {
  constructor(
    readonly cause: unknown,
    readonly done: number,
    readonly results: R[],
  ) {
    super(cause instanceof Error ? cause.message : "A batch failed");
  }
}
