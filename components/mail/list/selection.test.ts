import { describe, expect, it } from "vitest";
import { emptySelection, selectAllLoaded, selectRange, selectionSize, toggleOne, withoutUids } from "./selection";

const order = [50, 40, 30, 20, 10];

describe("selection", () => {
  it("toggles one message and remembers it as the anchor", () => {
    const one = toggleOne(emptySelection, 30);
    expect([...one.uids]).toEqual([30]);
    expect(one.anchor).toBe(30);
    expect(toggleOne(one, 30).uids.size).toBe(0);
  });

  it("selects a range from the anchor in either direction, keeping what was selected", () => {
    const start = toggleOne(toggleOne(emptySelection, 10), 40);
    const down = selectRange(start, order, 20);
    expect([...down.uids].sort()).toEqual([10, 20, 30, 40]);
    const up = selectRange(toggleOne(emptySelection, 20), order, 50);
    expect([...up.uids].sort()).toEqual([20, 30, 40, 50]);
  });

  it("falls back to a toggle when the anchor is not in the list", () => {
    const stale = { uids: new Set([99]), anchor: 99, allInFolder: false };
    expect([...selectRange(stale, order, 30).uids].sort()).toEqual([30, 99]);
  });

  it("select all takes the loaded rows; whole-folder size is the folder's total", () => {
    expect(selectAllLoaded(order).uids.size).toBe(5);
    expect(selectionSize({ ...selectAllLoaded(order), allInFolder: true }, 3000)).toBe(3000);
    expect(selectionSize(selectAllLoaded(order), 3000)).toBe(5);
  });

  it("forgets messages that left the folder", () => {
    expect([...withoutUids(selectAllLoaded(order), [40, 10]).uids]).toEqual([50, 30, 20]);
  });
});
