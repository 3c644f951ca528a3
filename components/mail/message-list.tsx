"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
  type Ref,
} from "react";
import type { MessageFlags, MessageSummary } from "@/lib/mail/types";
import { api, ApiError } from "./api-client";
import { listEntries, loadedUids } from "./list-entries";
import { MESSAGE_DRAG_TYPE, MessageRow, type MessageDragPayload } from "./message-row";
import { selectRange, toggleOne, type Selection } from "./selection";

export const PAGE_SIZE = 50;
const ROW_HEIGHT = 72;

interface ListState {
  folder: string;
  uidValidity: string | null;
  total: number | null;
  pages: Map<number, MessageSummary[]>;
}

const emptyState = (folder: string): ListState => ({ folder, uidValidity: null, total: null, pages: new Map() });

export interface OpenedMessage {
  uid: number;
  uidValidity: string;
}

/** What the shell needs to know about the list to act on it (toolbar, shortcuts, select all). */
export interface ListView {
  folder: string;
  uidValidity: string | null;
  /** Messages in the folder, minus the ones just moved away. */
  total: number;
  /** Loaded rows, in list order. */
  order: number[];
}

/** Focus moves for keyboard shortcuts (j/k, x). */
export interface ListHandle {
  focusedUid: () => number | null;
  moveFocus: (delta: number) => void;
  focusUid: (uid: number) => void;
  neighbour: (uid: number, delta: number) => number | null;
  /** A loaded row's flags as shown (with optimistic changes), or null when it is not loaded. */
  flagsOf: (uid: number) => MessageFlags | null;
}

/**
 * Every message of a folder in one scrolling list, newest first. Only the rows on screen exist in
 * the DOM, and only the pages they fall on are fetched, so page 2,000 of a 100,000-message folder
 * costs what page 1 does. Selection and actions live in the shell; this list shows them.
 */
export function MessageList({
  folder,
  folderLabel,
  selectedUid,
  flagOverrides,
  reloadToken,
  onOpen,
  hidden,
  resyncToken,
  selection,
  onSelectionChange,
  onViewChange,
  handleRef,
}: {
  folder: string;
  folderLabel: string;
  selectedUid: number | null;
  flagOverrides: Map<number, Partial<MessageFlags>>;
  reloadToken: number;
  onOpen: (message: OpenedMessage) => void;
  hidden: ReadonlySet<number>;
  /** Changes after an action: the loaded pages are fetched again in place (no scroll to top). */
  resyncToken: number;
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
  onViewChange: (view: ListView) => void;
  handleRef?: Ref<ListHandle>;
}) {
  const [state, setState] = useState<ListState>(() => emptyState(folder));
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(new Set<number>());
  const scrollRef = useRef<HTMLDivElement>(null);
  const generation = useRef(0);
  const pendingFocus = useRef<number | null>(null);

  const loadPage = useCallback(
    async (page: number) => {
      if (inFlight.current.has(page)) return;
      inFlight.current.add(page);
      const myGeneration = generation.current;
      try {
        const result = await api.messages(folder, page, PAGE_SIZE);
        if (myGeneration !== generation.current) return;
        setState((prev) => {
          // A changed UIDVALIDITY means every UID we hold is stale: start over from this page.
          const stale = prev.uidValidity !== null && prev.uidValidity !== result.uidValidity;
          const pages = stale ? new Map<number, MessageSummary[]>() : new Map(prev.pages);
          pages.set(page, result.messages);
          return { folder, uidValidity: result.uidValidity, total: result.total, pages };
        });
        setError(null);
      } catch (e) {
        if (myGeneration === generation.current) setError(e instanceof ApiError ? e.message : "The messages could not be loaded.");
      } finally {
        inFlight.current.delete(page);
      }
    },
    [folder],
  );

  useEffect(() => {
    generation.current += 1;
    inFlight.current.clear();
    setState(emptyState(folder));
    setError(null);
    scrollRef.current?.scrollTo({ top: 0 });
    void loadPage(0);
  }, [folder, reloadToken, loadPage]);

  const total = state.folder === folder ? (state.total ?? 0) : 0;
  const entries = useMemo(() => listEntries(total, PAGE_SIZE, state.pages, hidden), [total, state.pages, hidden]);
  const order = useMemo(() => loadedUids(entries), [entries]);

  // The virtualizer is a non-memoizable hook by design; the React Compiler lint knows this.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();

  const firstIndex = items[0]?.index;
  const lastIndex = items[items.length - 1]?.index;
  useEffect(() => {
    if (firstIndex === undefined || lastIndex === undefined) return;
    for (let index = firstIndex; index <= lastIndex; index++) {
      const entry = entries[index];
      if (entry?.kind === "pending") void loadPage(entry.page);
    }
  }, [firstIndex, lastIndex, entries, loadPage]);

  // After an action the server's pages have shifted: fetch the ones on screen again, then replace
  // the whole page map at once, so rows never show twice or vanish in between.
  const firstResync = useRef(resyncToken);
  useEffect(() => {
    if (resyncToken === firstResync.current) return;
    firstResync.current = resyncToken;
    const myGeneration = ++generation.current;
    inFlight.current.clear();
    const first = Math.floor((firstIndex ?? 0) / PAGE_SIZE);
    const last = Math.floor((lastIndex ?? 0) / PAGE_SIZE);
    const wanted: number[] = [];
    for (let page = first; page <= last; page++) wanted.push(page);
    Promise.all(wanted.map((page) => api.messages(folder, page, PAGE_SIZE))).then(
      (results) => {
        if (myGeneration !== generation.current) return;
        const pages = new Map<number, MessageSummary[]>();
        results.forEach((r, i) => pages.set(wanted[i] ?? 0, r.messages));
        const latest = results[results.length - 1];
        setState({ folder, uidValidity: latest?.uidValidity ?? null, total: latest?.total ?? 0, pages });
        setError(null);
      },
      (e: unknown) => {
        if (myGeneration === generation.current) setError(e instanceof ApiError ? e.message : "The messages could not be loaded.");
      },
    );
    // Only a new token starts a resync; the visible range is read as it is at that moment.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [resyncToken]);

  const visibleTotal = entries.length;
  useEffect(() => {
    onViewChange({ folder, uidValidity: state.folder === folder ? state.uidValidity : null, total: visibleTotal, order });
  }, [folder, state.folder, state.uidValidity, visibleTotal, order, onViewChange]);

  function focusIndex(next: number) {
    if (next < 0 || next >= entries.length) return;
    // The target row may not exist yet (off screen, or its page still loading). Focus waits on the
    // scroll container, so keys keep working, and moves to the row once it renders.
    pendingFocus.current = next;
    scrollRef.current?.focus({ preventScroll: true });
    virtualizer.scrollToIndex(next, { align: "auto" });
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
    if (index === null) return;
    const button = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] button`);
    if (!button) return;
    pendingFocus.current = null;
    button.focus();
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
      const index = entries.findIndex((e) => e.kind === "row" && e.row.uid === uid);
      if (index >= 0) focusIndex(index);
    },
    neighbour: (uid: number, delta: number) => {
      const index = entries.findIndex((e) => e.kind === "row" && e.row.uid === uid);
      const entry = index >= 0 ? entries[index + delta] : undefined;
      return entry?.kind === "row" ? entry.row.uid : null;
    },
    flagsOf: (uid: number) => {
      const entry = entries.find((e) => e.kind === "row" && e.row.uid === uid);
      return entry?.kind === "row" ? { ...entry.row.flags, ...flagOverrides.get(uid) } : null;
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
    if (state.uidValidity) onOpen({ uid: row.uid, uidValidity: state.uidValidity });
  }

  function onRowDragStart(event: DragEvent<HTMLElement>, row: MessageSummary) {
    if (!state.uidValidity) return;
    const withSelection = selection.uids.has(row.uid) || (selection.allInFolder && selection.uids.size === 0);
    const payload: MessageDragPayload = {
      folder,
      uidValidity: state.uidValidity,
      uids: withSelection ? [...selection.uids] : [row.uid],
      allInFolder: withSelection && selection.allInFolder,
    };
    event.dataTransfer.setData(MESSAGE_DRAG_TYPE, JSON.stringify(payload));
    event.dataTransfer.setData("text/plain", `${payload.allInFolder ? "all" : payload.uids.length} message(s)`);
    event.dataTransfer.effectAllowed = "copyMove";
  }

  return (
    <section aria-label="Messages" className="flex h-full min-h-0 flex-col">
      <header className="flex items-baseline justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 className="truncate text-lg font-semibold">{folderLabel}</h2>
        <span className="text-xs text-slate-500 tabular-nums" aria-live="polite">
          {state.total === null ? "Loading…" : `${visibleTotal.toLocaleString()} messages`}
        </span>
      </header>
      {error && (
        <div role="alert" className="m-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {error}{" "}
          <button type="button" className="underline" onClick={() => void loadPage(0)}>
            Try again
          </button>
        </div>
      )}
      {state.total !== null && visibleTotal === 0 && !error && (
        <p className="p-6 text-center text-sm text-slate-500">This folder is empty.</p>
      )}
      <div ref={scrollRef} tabIndex={-1} className="min-h-0 flex-1 overflow-y-auto outline-none" onKeyDown={onKeyDown}>
        <ul role="list" aria-label={`Messages in ${folderLabel}`} className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const entry = entries[item.index];
            const row = entry?.kind === "row" ? entry.row : undefined;
            return (
              <li
                key={row ? `${row.uid}` : `placeholder-${item.index}`}
                data-index={item.index}
                aria-setsize={visibleTotal}
                aria-posinset={item.index + 1}
                className="absolute left-0 top-0 w-full"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                {row ? (
                  <MessageRow
                    row={row}
                    flags={{ ...row.flags, ...flagOverrides.get(row.uid) }}
                    open={row.uid === selectedUid}
                    checked={selection.uids.has(row.uid) || selection.allInFolder}
                    onClick={(event) => onRowClick(event, row)}
                    onToggle={(shiftKey) =>
                      onSelectionChange(shiftKey ? selectRange(selection, order, row.uid) : toggleOne(selection, row.uid))
                    }
                    onDragStart={(event) => onRowDragStart(event, row)}
                  />
                ) : (
                  <div aria-hidden="true" className="flex h-full flex-col justify-center gap-2 border-b border-slate-100 px-4 dark:border-slate-900">
                    <div className="h-3 w-1/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
                    <div className="h-3 w-2/3 animate-pulse rounded bg-slate-100 dark:bg-slate-900" />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
