import type { MessageSummary } from "@/lib/mail/types";

// What the virtualized list shows at each position: a loaded row, or a placeholder for a page not
// fetched yet. Pages refetch one by one after a change, so for a moment two of them can hold the
// same message: it is shown once.

export type ListEntry = { kind: "row"; row: MessageSummary } | { kind: "pending"; page: number };

export function listEntries(
  total: number,
  pageSize: number,
  pages: ReadonlyMap<number, MessageSummary[]>,
): ListEntry[] {
  const out: ListEntry[] = [];
  const shown = new Set<number>();
  const pageCount = Math.ceil(total / pageSize);
  for (let page = 0; page < pageCount; page++) {
    const rows = pages.get(page);
    if (rows) {
      for (const row of rows) {
        if (shown.has(row.uid)) continue;
        shown.add(row.uid);
        out.push({ kind: "row", row });
      }
    } else {
      // One shared object per page: a 100,000-message folder costs an array of references.
      const pending: ListEntry = { kind: "pending", page };
      const count = Math.min(pageSize, total - page * pageSize);
      for (let i = 0; i < count; i++) out.push(pending);
    }
  }
  return out;
}

/** The UIDs of the loaded rows, in list order: what shift-click ranges and "select all" work on. */
export function loadedUids(entries: readonly ListEntry[]): number[] {
  const uids: number[] = [];
  for (const entry of entries) if (entry.kind === "row") uids.push(entry.row.uid);
  return uids;
}
