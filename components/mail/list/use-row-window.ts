"use client";

import { useCallback, useEffect, useMemo, useState, type RefObject } from "react";

/** One row the list renders: its index and where it sits in the scrolled content. */
export interface WindowRow {
  index: number;
  start: number;
  size: number;
}

/** Which rows of a list of `count` equal rows fall in (or near) the visible part of `height` px. */
export function rowsInWindow(count: number, rowHeight: number, scrollTop: number, height: number, overscan: number): WindowRow[] {
  if (count === 0 || rowHeight <= 0) return [];
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight) - 1 + overscan);
  const rows: WindowRow[] = [];
  for (let index = first; index <= last; index++) rows.push({ index, start: index * rowHeight, size: rowHeight });
  return rows;
}

/** The scroll position that brings row `index` into view, moving as little as possible (or null: it is in view). */
export function scrollTopFor(index: number, rowHeight: number, scrollTop: number, height: number): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  // Its bottom at the pane's bottom, unless that would hide its top (a pane shorter than a row).
  const next = top < scrollTop ? top : bottom > scrollTop + height ? Math.min(top, bottom - height) : scrollTop;
  return next === scrollTop ? null : next;
}

/**
 * Windowing for a list whose rows all have one height (the message list: one height per density):
 * only the rows on screen, plus `overscan` on each side, are rendered. With equal rows every
 * position is arithmetic, so this needs no measuring — the general-purpose virtualizers that
 * measure rows of any height cost the first visit about 11 kB of compressed script for nothing.
 */
export function useRowWindow({
  count,
  rowHeight,
  scrollRef,
  overscan,
  initialHeight = 0,
}: {
  count: number;
  rowHeight: number;
  scrollRef: RefObject<HTMLElement | null>;
  overscan: number;
  /** The height assumed before the pane is measured: on the server, and in the render that hydrates its HTML. */
  initialHeight?: number;
}) {
  const [viewport, setViewport] = useState({ top: 0, height: initialHeight });

  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const read = () =>
      setViewport((current) =>
        current.top === element.scrollTop && current.height === element.clientHeight
          ? current
          : { top: element.scrollTop, height: element.clientHeight },
      );
    read();
    element.addEventListener("scroll", read, { passive: true });
    // The pane's height changes with the window, and from 0 when the list stops being hidden.
    const observer = new ResizeObserver(read);
    observer.observe(element);
    return () => {
      element.removeEventListener("scroll", read);
      observer.disconnect();
    };
  }, [scrollRef]);

  const rows = useMemo(
    () => rowsInWindow(count, rowHeight, viewport.top, viewport.height, overscan),
    [count, rowHeight, viewport.top, viewport.height, overscan],
  );

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const top = scrollTopFor(index, rowHeight, element.scrollTop, element.clientHeight);
      if (top !== null) element.scrollTop = top;
    },
    [scrollRef, rowHeight],
  );

  return { rows, totalSize: count * rowHeight, scrollToIndex };
}
