import type { MessageSummary } from "@/lib/mail/types";

// What the virtualized list shows at each position: a loaded row, or a placeholder for a page not
// fetched yet. Pages refetch one by one after a change, so for a moment two of them can hold the
// same message: it is shown once.
//
// The positions are not spelled out one by one: a 100,000-message folder with one page loaded is
// one run of 50 rows and one run of 99,950 placeholders, so building the list (on the server for
// the first paint, in the browser at hydration and whenever a page arrives) costs the pages loaded,
// not the folder's size. An array of 100,000 entries, and the maps made from it, took about 20 ms
// of every render of the mail page on the server.

export type ListEntry = { kind: "row"; row: MessageSummary } | { kind: "pending"; page: number };

type Run = { start: number; length: number } & ({ kind: "rows"; rows: MessageSummary[] } | { kind: "pending"; page: number });

export class ListEntries {
  /** Positions in the list: the loaded rows plus a placeholder for each message of a page not loaded. */
  readonly length: number;
  /** The loaded rows in list order: what shift-click ranges and "select all" work on. */
  readonly rows: readonly MessageSummary[];
  private readonly runs: readonly Run[];
  private readonly pageSize: number;
  private positions: Map<number, number> | null = null;

  constructor(runs: Run[], pageSize: number) {
    this.runs = runs;
    this.pageSize = pageSize;
    const last = runs[runs.length - 1];
    this.length = last ? last.start + last.length : 0;
    this.rows = runs.flatMap((run) => (run.kind === "rows" ? run.rows : []));
  }

  at(index: number): ListEntry | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    // Binary search for the run holding the position: the runs are in order and touch.
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.runs[mid]!.start <= index) lo = mid;
      else hi = mid - 1;
    }
    const run = this.runs[lo]!;
    const offset = index - run.start;
    if (run.kind === "rows") return { kind: "row", row: run.rows[offset]! };
    // Every page of a run of placeholders is whole but the folder's last one, which ends the list.
    return { kind: "pending", page: run.page + Math.floor(offset / this.pageSize) };
  }

  /** The entries from `from` up to and not including `to`, as Array.prototype.slice. */
  slice(from: number, to: number): ListEntry[] {
    const out: ListEntry[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) out.push(this.at(i)!);
    return out;
  }

  /** The position of a loaded row, or -1. */
  indexOfUid(uid: number): number {
    if (!this.positions) {
      this.positions = new Map();
      for (const run of this.runs) {
        if (run.kind === "rows") run.rows.forEach((row, i) => this.positions!.set(row.uid, run.start + i));
      }
    }
    return this.positions.get(uid) ?? -1;
  }

  rowOf(uid: number): MessageSummary | undefined {
    const index = this.indexOfUid(uid);
    const entry = index < 0 ? undefined : this.at(index);
    return entry?.kind === "row" ? entry.row : undefined;
  }
}

export function listEntries(total: number, pageSize: number, pages: ReadonlyMap<number, MessageSummary[]>): ListEntries {
  const runs: Run[] = [];
  const shown = new Set<number>();
  const pageCount = Math.ceil(total / pageSize);
  let position = 0;
  let next = 0;
  const pending = (upTo: number) => {
    if (upTo <= next) return;
    // Pages before the folder's last are whole; the last holds what is left of the total.
    const length = Math.min(total, upTo * pageSize) - next * pageSize;
    runs.push({ kind: "pending", start: position, length, page: next });
    position += length;
  };
  for (const page of [...pages.keys()].filter((p) => p >= 0 && p < pageCount).sort((a, b) => a - b)) {
    pending(page);
    const rows = pages.get(page)!.filter((row) => !shown.has(row.uid) && shown.add(row.uid));
    if (rows.length) runs.push({ kind: "rows", start: position, length: rows.length, rows });
    position += rows.length;
    next = page + 1;
  }
  pending(pageCount);
  return new ListEntries(runs, pageSize);
}
