// The message selection: pure functions, so the rules (ranges, toggles, whole folder) are testable
// without a browser.

export interface Selection {
  uids: ReadonlySet<number>;
  /** Where the last plain or ctrl/cmd selection happened: shift-click ranges start here. */
  anchor: number | null;
  /** "Select all in folder": every message of the folder, not only the loaded rows. */
  allInFolder: boolean;
}

export const emptySelection: Selection = { uids: new Set(), anchor: null, allInFolder: false };

export function toggleOne(selection: Selection, uid: number): Selection {
  const uids = new Set(selection.uids);
  if (uids.has(uid)) uids.delete(uid);
  else uids.add(uid);
  return { uids, anchor: uid, allInFolder: false };
}

/**
 * Shift-click: everything between the anchor and `uid` in list order joins the selection. Without an
 * anchor (or when it scrolled out of the loaded rows), only `uid` is toggled.
 */
export function selectRange(selection: Selection, order: readonly number[], uid: number): Selection {
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  const to = order.indexOf(uid);
  if (from < 0 || to < 0) return toggleOne(selection, uid);
  const [start, end] = from <= to ? [from, to] : [to, from];
  const uids = new Set(selection.uids);
  for (const u of order.slice(start, end + 1)) uids.add(u);
  return { uids, anchor: selection.anchor, allInFolder: false };
}

export function selectAllLoaded(order: readonly number[]): Selection {
  return { uids: new Set(order), anchor: order[0] ?? null, allInFolder: false };
}

/** Drops UIDs that left the list (moved, deleted), so a later action never names them. */
export function withoutUids(selection: Selection, gone: Iterable<number>): Selection {
  const uids = new Set(selection.uids);
  for (const uid of gone) uids.delete(uid);
  return { ...selection, uids };
}

export function selectionSize(selection: Selection, folderTotal: number): number {
  return selection.allInFolder ? folderTotal : selection.uids.size;
}
