"use client";

import { useQueryClient } from "@tanstack/react-query";
import {
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
  type Ref,
} from "react";
import type { Density, MessageFlags, MessageSummary } from "@/lib/mail/types";
import { sourceFolder, type ListOrder, type ListSource } from "@/components/mail/data/source";
import { useSourceList } from "@/components/mail/data/use-source-list";
import { listEntries, loadedUids } from "./list-entries";
import { MESSAGE_DRAG_TYPE, MessageRow, RowSkeleton, ROW_HEIGHT, type MessageDragPayload } from "./message-row";
import { selectRange, toggleOne, type Selection } from "./selection";
import { SortMenu } from "./sort-menu";
import { useRowWindow } from "./use-row-window";

export const PAGE_SIZE = 50;

export interface OpenedMessage {
  uid: number;
  uidValidity: string;
}

/** What the shell needs to know about the list to act on it (toolbar, shortcuts, select all). */
export interface ListView {
  sourceKey: string;
  uidValidity: string | null;
  /** Messages in the source as the list shows them (moved ones already gone). */
  total: number;
  /** Loaded rows, in list order. */
  order: number[];
  /** The list's failure, shown by the list itself; the shell shows no second copy. */
  error: string | null;
  /** Flags of the loaded rows: the toolbar's Read and Flag toggles follow the selection's. */
  flags: ReadonlyMap<number, MessageFlags>;
}

/** Focus moves for keyboard shortcuts (j/k, x). */
export interface ListHandle {
  focusedUid: () => number | null;
  moveFocus: (delta: number) => void;
  focusUid: (uid: number) => void;
  /** The next row up (-1) or down (1) from a message, passing over the ones in `skip`. */
  neighbour: (uid: number, delta: number, skip?: ReadonlySet<number>) => number | null;
  /** A loaded row's flags as shown, or null when it is not loaded. */
  flagsOf: (uid: number) => MessageFlags | null;
}

/**
 * Every message of a source in one scrolling list, in the chosen order. Only the rows on screen
 * exist in the DOM, and only the pages they fall on are fetched (each a cached query), so page
 * 2,000 of a 100,000-message folder costs what page 1 does. Selection and actions live in the
 * shell; this list shows them.
 */
export function MessageList({
  source,
  order: listOrder,
  onOrderChange,
  label,
  density,
  selectedUid,
  onOpen,
  selection,
  onSelectionChange,
  onViewChange,
  handleRef,
}: {
  source: ListSource;
  order: ListOrder;
  onOrderChange: (order: ListOrder) => void;
  label: string;
  density: Density;
  selectedUid: number | null;
  onOpen: (message: OpenedMessage) => void;
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
  onViewChange: (view: ListView) => void;
  handleRef?: Ref<ListHandle>;
}) {
  const client = useQueryClient();
  const list = useSourceList(source, listOrder, PAGE_SIZE);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<number | null>(null);
  const pendingFocusUid = useRef<number | null>(null);
  const folder = sourceFolder(source);
  const rowHeight = ROW_HEIGHT[density];

  const sourceKey = `${folder}|${listOrder.sort}|${listOrder.order}`;
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [sourceKey]);

  const total = list.total ?? 0;
  const entries = useMemo(() => listEntries(total, PAGE_SIZE, list.pages), [total, list.pages]);
  const order = useMemo(() => loadedUids(entries), [entries]);
  const flags = useMemo(() => new Map(entries.flatMap((e) => (e.kind === "row" ? [[e.row.uid, e.row.flags] as const] : []))), [entries]);

  const virtualizer = useRowWindow({ count: entries.length, rowHeight, scrollRef, overscan: 8 });
  const items = virtualizer.rows;

  // New mail arriving at the top (live updates) must not move what the user is reading: the first
  // row in view is remembered, and when the rows above it change, the scroll position moves with it.
  // At the very top the list simply grows there, where the user is looking.
  const anchor = useRef<{ uid: number; index: number } | null>(null);
  const rememberAnchor = () => {
    const el = scrollRef.current;
    if (!el) return;
    const index = Math.floor(el.scrollTop / rowHeight);
    const entry = entries[index];
    anchor.current = entry?.kind === "row" ? { uid: entry.row.uid, index } : null;
  };
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const before = anchor.current;
    if (el && before && el.scrollTop > 0) {
      const index = entries.findIndex((e) => e.kind === "row" && e.row.uid === before.uid);
      if (index >= 0 && index !== before.index) el.scrollTop += (index - before.index) * rowHeight;
    }
    rememberAnchor();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the rows change, reads the latest
  }, [entries, rowHeight]);

  const firstIndex = items[0]?.index;
  const lastIndex = items[items.length - 1]?.index;
  useEffect(() => {
    if (firstIndex === undefined || lastIndex === undefined) return;
    for (let index = firstIndex; index <= lastIndex; index++) {
      const entry = entries[index];
      if (entry?.kind === "pending") list.want(entry.page);
    }
  }, [firstIndex, lastIndex, entries, list]);

  const visibleTotal = entries.length;
  useEffect(() => {
    onViewChange({ sourceKey, uidValidity: list.uidValidity, total: visibleTotal, order, error: list.error, flags });
  }, [sourceKey, list.uidValidity, list.error, visibleTotal, order, flags, onViewChange]);

  function focusIndex(next: number) {
    if (next < 0 || next >= entries.length) return;
    // The target row may not exist yet (off screen, or its page still loading). Focus waits on the
    // scroll container, so keys keep working, and moves to the row once it renders.
    pendingFocus.current = next;
    scrollRef.current?.focus({ preventScroll: true });
    virtualizer.scrollToIndex(next);
    focusPendingRow();
  }

  function currentIndex(): number {
    const active = document.activeElement;
    const current = active instanceof HTMLElement ? active.closest<HTMLElement>("[data-index]") : null;
    if (current && scrollRef.current?.contains(current)) return Number(current.dataset.index);
    if (pendingFocus.current !== null) return pendingFocus.current;
    if (selectedUid !== null) return entries.findIndex((e) => e.kind === "row" && e.row.uid === selectedUid);
    return -1;
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Home" && event.key !== "End") return;
    const index = currentIndex();
    const next =
      event.key === "Home" ? 0 : event.key === "End" ? entries.length - 1 : event.key === "ArrowDown" ? index + 1 : index - 1;
    if (next < 0 || next >= entries.length) return;
    event.preventDefault();
    // Shift+arrow extends the selection, as in desktop mail clients.
    const target = entries[next];
    if (event.shiftKey && (event.key === "ArrowDown" || event.key === "ArrowUp") && target?.kind === "row") {
      const from = entries[index];
      let base = selection;
      if (from?.kind === "row" && !selection.uids.has(from.row.uid)) base = toggleOne(selection, from.row.uid);
      if (!base.uids.has(target.row.uid)) onSelectionChange({ ...toggleOne(base, target.row.uid), anchor: base.anchor });
      else onSelectionChange(base);
    }
    focusIndex(next);
  }

  function focusPendingRow() {
    const index = pendingFocus.current;
    if (index !== null) {
      const button = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] button`);
      if (!button) return;
      pendingFocus.current = null;
      button.focus();
      return;
    }
    // By UID: the row's position may still shift (a removed row leaves the list a moment later).
    const uid = pendingFocusUid.current;
    if (uid === null) return;
    const position = entries.findIndex((e) => e.kind === "row" && e.row.uid === uid);
    if (position < 0) return;
    const button = scrollRef.current?.querySelector<HTMLElement>(`[data-uid="${uid}"] button`);
    if (!button) {
      virtualizer.scrollToIndex(position);
      return;
    }
    pendingFocusUid.current = null;
    button.focus({ preventScroll: false });
  }

  useEffect(focusPendingRow);

  useImperativeHandle(handleRef, () => ({
    focusedUid: () => {
      const entry = entries[currentIndex()];
      return entry?.kind === "row" ? entry.row.uid : null;
    },
    moveFocus: (delta: number) => {
      const index = currentIndex();
      focusIndex(index < 0 ? 0 : index + delta);
    },
    focusUid: (uid: number) => {
      pendingFocus.current = null;
      pendingFocusUid.current = uid;
      focusPendingRow();
    },
    neighbour: (uid: number, delta: number, skip?: ReadonlySet<number>) => {
      const index = entries.findIndex((e) => e.kind === "row" && e.row.uid === uid);
      if (index < 0) return null;
      for (let i = index + delta; i >= 0 && i < entries.length; i += delta) {
        const entry = entries[i];
        if (entry?.kind !== "row") return null;
        if (!skip?.has(entry.row.uid)) return entry.row.uid;
      }
      return null;
    },
    flagsOf: (uid: number) => {
      const entry = entries.find((e) => e.kind === "row" && e.row.uid === uid);
      return entry?.kind === "row" ? entry.row.flags : null;
    },
  }));

  function onRowClick(event: MouseEvent<HTMLButtonElement>, row: MessageSummary) {
    if (event.shiftKey) {
      event.preventDefault();
      onSelectionChange(selectRange(selection, order, row.uid));
      return;
    }
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      onSelectionChange(toggleOne(selection, row.uid));
      return;
    }
    if (list.uidValidity) onOpen({ uid: row.uid, uidValidity: list.uidValidity });
  }

  function onRowDragStart(event: DragEvent<HTMLElement>, row: MessageSummary) {
    if (!list.uidValidity) return;
    const withSelection = selection.uids.has(row.uid) || (selection.allInFolder && selection.uids.size === 0);
    const payload: MessageDragPayload = {
      folder,
      uidValidity: list.uidValidity,
      uids: withSelection ? [...selection.uids] : [row.uid],
      allInFolder: withSelection && selection.allInFolder,
    };
    event.dataTransfer.setData(MESSAGE_DRAG_TYPE, JSON.stringify(payload));
    event.dataTransfer.setData("text/plain", `${payload.allInFolder ? "all" : payload.uids.length} message(s)`);
    event.dataTransfer.effectAllowed = "copyMove";
  }

  function retry() {
    // One "Try again" for whatever failed: this list's pages and the folder tree alike.
    list.retry();
    void client.refetchQueries({ predicate: (q) => q.state.status === "error" });
  }

  const loading = list.total === null && !list.error;
  return (
    <section aria-label="Messages" className="flex h-full min-h-0 flex-col">
      <header className="flex items-center gap-2 border-b border-slate-200 py-1.5 pr-2 pl-4 dark:border-slate-800">
        <h2 className="min-w-0 flex-1 truncate text-base font-semibold">{label}</h2>
        <span className="shrink-0 text-xs text-slate-600 tabular-nums dark:text-slate-400" aria-live="polite">
          {list.total === null ? "" : `${visibleTotal.toLocaleString()} messages`}
        </span>
        <SortMenu order={listOrder} onChange={onOrderChange} />
      </header>
      {list.error && (
        <div role="alert" className="m-3 flex flex-wrap items-center gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          <span className="min-w-0 flex-1">{list.error}</span>
          <button type="button" className="font-semibold underline" onClick={retry}>
            Try again
          </button>
        </div>
      )}
      {list.total !== null && visibleTotal === 0 && !list.error && (
        <p className="p-6 text-center text-sm text-slate-600 dark:text-slate-400">
          This folder is empty. Messages you move or file here will show up in this list.
        </p>
      )}
      {loading && (
        <div role="status" aria-label="Loading messages" className="min-h-0 flex-1 overflow-hidden">
          {Array.from({ length: 12 }, (_, i) => (
            <RowSkeleton key={i} density={density} />
          ))}
        </div>
      )}
      <div ref={scrollRef} tabIndex={-1} className={`${loading ? "hidden" : ""} min-h-0 flex-1 overflow-y-auto outline-none`} onKeyDown={onKeyDown} onScroll={rememberAnchor}>
        <ul role="list" aria-label={`Messages in ${label}`} className="relative w-full" style={{ height: virtualizer.totalSize }}>
          {items.map((item) => {
            const entry = entries[item.index];
            const row = entry?.kind === "row" ? entry.row : undefined;
            return (
              <li
                key={row ? `${row.uid}` : `placeholder-${item.index}`}
                data-index={item.index}
                aria-setsize={visibleTotal}
                aria-posinset={item.index + 1}
                className="absolute top-0 left-0 w-full"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                {row ? (
                  <MessageRow
                    row={row}
                    density={density}
                    open={row.uid === selectedUid}
                    checked={selection.uids.has(row.uid) || selection.allInFolder}
                    onClick={(event) => onRowClick(event, row)}
                    onToggle={(shiftKey) =>
                      onSelectionChange(shiftKey ? selectRange(selection, order, row.uid) : toggleOne(selection, row.uid))
                    }
                    onDragStart={(event) => onRowDragStart(event, row)}
                  />
                ) : (
                  <RowSkeleton density={density} />
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
