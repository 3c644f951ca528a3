import type { SortOrder } from "@/lib/mail/types";

/** Which positions of a sorted folder a page holds; pure, shared by the direct list and its cache. */

/**
 * The sequence range holding page `page` (0 = newest) of a folder with `exists` messages. Sequence
 * numbers are dense, so page 2,000 costs the same as page 1 — unlike UID ranges, which have gaps.
 */
export function pageRange(exists: number, page: number, pageSize: number): { start: number; end: number } | null {
  const end = exists - page * pageSize;
  if (end < 1) return null;
  return { start: Math.max(1, end - pageSize + 1), end };
}

/**
 * Positions (1-based, in ascending order of the sort) of page `page` of `total` messages: counted
 * from the end for a descending list, from the start for an ascending one.
 */
export function pagePositions(
  total: number,
  page: number,
  pageSize: number,
  order: SortOrder,
): { from: number; to: number } | null {
  if (order === "desc") {
    const range = pageRange(total, page, pageSize);
    return range && { from: range.start, to: range.end };
  }
  const from = page * pageSize + 1;
  if (from > total) return null;
  return { from, to: Math.min(total, from + pageSize - 1) };
}
