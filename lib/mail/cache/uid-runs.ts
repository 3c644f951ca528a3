/**
 * A folder's order as compact text: UIDs in the order given, consecutive runs written as ranges in
 * the direction they run ("1:1000", "7,12:9,40"), like an IMAP sequence set that keeps its order
 * (RFC 5267 §4.2). A folder sorted by date is mostly in arrival order, so a chunk of a thousand
 * UIDs is usually a few bytes instead of several kilobytes. Pure; used by the cache in the store.
 */

export function encodeUidRuns(uids: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < uids.length) {
    const first = uids[i]!;
    let j = i;
    const next = uids[i + 1];
    const step = next === first + 1 ? 1 : next === first - 1 ? -1 : 0;
    if (step !== 0) while (j + 1 < uids.length && uids[j + 1] === uids[j]! + step) j++;
    parts.push(j > i ? `${first}:${uids[j]}` : String(first));
    i = j + 1;
  }
  return parts.join(",");
}

/**
 * The inverse of encodeUidRuns, and the reader of an IMAP sequence set in its given order (SORT's
 * answer, sort-uids.ts); anything malformed is skipped, and at most `limit` numbers come out, so a
 * hostile range cannot exhaust memory.
 */
export function decodeUidRunsUpTo(text: string, limit: number): number[] {
  const out: number[] = [];
  if (!text) return out;
  for (const part of text.split(",")) {
    const [a, b] = part.split(":");
    const first = Number(a);
    const last = b === undefined ? first : Number(b);
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 1 || last < 1) continue;
    const step = last >= first ? 1 : -1;
    for (let n = first; ; n += step) {
      if (out.length >= limit) return out;
      out.push(n);
      if (n === last) break;
    }
  }
  return out;
}

/** The inverse of encodeUidRuns (one argument, so it can be passed to `map`). */
export function decodeUidRuns(text: string): number[] {
  return decodeUidRunsUpTo(text, Number.POSITIVE_INFINITY);
}
