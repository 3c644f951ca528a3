import { describe, expect, it } from "vitest";
import { rowsInWindow, scrollTopFor } from "./use-row-window";

describe("the message list's window of rows", () => {
  it("renders the rows on screen and the overscan on each side, never past either end", () => {
    // 76 px rows, a 760 px pane scrolled to row 100: rows 100–109 show, 8 more on each side.
    const rows = rowsInWindow(10_000, 76, 7600, 760, 8);
    expect(rows[0]).toEqual({ index: 92, start: 92 * 76, size: 76 });
    expect(rows.at(-1)?.index).toBe(117);
    expect(rowsInWindow(10_000, 76, 0, 760, 8).map((r) => r.index)).toEqual([...Array(18).keys()]);
    expect(rowsInWindow(5, 76, 0, 760, 8).map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(rowsInWindow(0, 76, 0, 760, 8)).toEqual([]);
    // A row only partly on screen counts as on screen.
    expect(rowsInWindow(100, 48, 50, 100, 0).map((r) => r.index)).toEqual([1, 2, 3]);
  });

  it("scrolls as little as brings a row into view, and not at all when it is in view", () => {
    expect(scrollTopFor(5, 76, 0, 760)).toBeNull();
    expect(scrollTopFor(10, 76, 0, 760)).toBe(11 * 76 - 760);
    expect(scrollTopFor(2, 76, 400, 760)).toBe(152);
    expect(scrollTopFor(0, 76, 0, 50)).toBeNull();
  });
});
