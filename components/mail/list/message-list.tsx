"use client";

import { RetryAlert } from "@/components/ui/retry-alert";
import { lazyInBrowser } from "@/components/ui/lazy-in-browser";
import { useQueryClient } from "@tanstack/react-query";
import {
  useCallback,
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
import { PAGE_SIZE, sourceFolder, sourceId, type ListOrder, type ListSource } from "@/components/mail/data/source";
import { useSourceList } from "@/components/mail/data/use-source-list";
import { listEntries } from "./list-entries";
import { MESSAGE_DRAG_TYPE, MessageRow, RowSkeleton, ROW_HEIGHT, type MessageDragPayload } from "./message-row";
import { selectRange, toggleOne, type Selection } from "./selection";
import { SortMenu } from "./sort-menu";
import { useRowWindow } from "./use-row-window";

// Only a search shows it: its code loads with the first one (lazyInBrowser, not next/dynamic, whose
// runtime would weigh on every first visit).
const SearchStatus = lazyInBrowser(() => import("@/components/mail/search/search-status").then((m) => m.SearchStatus));

export interface OpenedMessage {
  uid: number;
  uidValidity: string;
  /** The message's folder when it is not the list's own (a result of in:anywhere). */
  folder?: string;
}

/** What the shell needs to know about the list to act on it (toolbar, shortcuts, select all). */
export interface ListView {
  sourceKey: string;
  uidValidity: string | null;
  /** The folder of the rows (a search's may differ from the tree's); "" when each row names its own (in:anywhere). */
  folder: string | null;
  /** Messages in the source as the list shows them (moved ones already gone). */
  total: number;
  /** Loaded rows, in list order. */
  order: number[];
  /** The list's failure, shown by the list itself; the shell shows no second copy. */
  error: string | null;
  /** Flags of the loaded rows: the toolbar's Read and Flag toggles follow the selection's. */
  flags: ReadonlyMap<number, MessageFlags>;
  /** Conversation rows (by their uid, the newest message's) and every message each stands for. */
  members: ReadonlyMap<number, readonly number[]>;
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
  folderLabelOf,
  conversations,
  onConversationsChange,
  onRowIntent,
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
  /** A folder's name as the tree shows it: search results say where they are. */
  folderLabelOf: (path: string) => string;
  /** The "Conversations" setting, shown in the list's menu. */
  conversations?: boolean;
  onConversationsChange?: (on: boolean) => void;
  /** The row under the pointer or the keyboard cursor (null: none), whose message may be fetched ahead. */
  onRowIntent?: (message: Required<OpenedMessage> | null) => void;
}) {
  const client = useQueryClient();
  const list = useSourceList(source, listOrder, PAGE_SIZE);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<number | null>(null);
  const pendingFocusUid = useRef<number | null>(null);
  const folder = sourceFolder(source);
  const rowHeight = ROW_HEIGHT[density];

  const sourceKey = `${sourceId(source)}|${listOrder.sort}|${listOrder.order}`;
  const searching = source.kind === "search";
  // in:anywhere mixes folders, whose UIDs may collide: its rows are opened and acted on one at a
  // time (or all at once with "Select all"), not ticked one by one.
  const anywhere = list.search?.scope === "anywhere";
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [sourceKey]);

  const total = list.total ?? 0;
  const entries = useMemo(() => listEntries(total, PAGE_SIZE, list.pages), [total, list.pages]);
  const order = useMemo(() => entries.rows.map((row) => row.uid), [entries]);
  const flags = useMemo(() => new Map(entries.rows.map((row) => [row.uid, row.flags] as const)), [entries]);
  const members = useMemo(
    () => new Map(entries.rows.flatMap((row) => (row.conversation ? [[row.uid, row.conversation.uids] as const] : []))),
    [entries],
  );

  // The server renders the first rows without knowing the window: as many as a tall one shows.
  const virtualizer = useRowWindow({ count: entries.length, rowHeight, scrollRef, overscan: 8, initialHeight: 1000 });
  const items = virtualizer.rows;

  // New mail arriving at the top (live updates) must not move what the user is reading: the first
  // row in view is remembered, and when the rows above it change, the scroll position moves with it.
  // At the very top the list simply grows there, where the user is looking.
  const anchor = useRef<{ uid: number; index: number } | null>(null);
  const rememberAnchor = () => {
    const el = scrollRef.current;
    if (!el) return;
    const index = Math.floor(el.scrollTop / rowHeight);
    const entry = entries.at(index);
    anchor.current = entry?.kind === "row" ? { uid: entry.row.uid, index } : null;
  };
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const before = anchor.current;
    if (el && before && el.scrollTop > 0) {
      const index = entries.indexOfUid(before.uid);
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
      const entry = entries.at(index);
      if (entry?.kind === "pending") list.want(entry.page);
    }
  }, [firstIndex, lastIndex, entries, list]);

  // A server without PREVIEW answered the rows without their second line: asked for once the
  // window rests (ask-snippets.ts, loaded the first time a row on screen lacks one).
  useEffect(() => {
    if (firstIndex === undefined || lastIndex === undefined) return;
    const rows = entries.slice(firstIndex, lastIndex + 1).flatMap((e) => (e.kind === "row" && e.row.preview === null ? [e.row] : []));
    if (rows.length) void import("@/components/mail/data/ask-snippets").then((m) => m.askSnippets(client, rows, list.folder, list.uidValidity));
  }, [firstIndex, lastIndex, entries, client, list.folder, list.uidValidity]);

  const visibleTotal = entries.length;
  useEffect(() => {
    onViewChange({ sourceKey, uidValidity: list.uidValidity, folder: list.folder, total: visibleTotal, order, error: list.error, flags, members });
  }, [sourceKey, list.uidValidity, list.folder, list.error, visibleTotal, order, flags, members, onViewChange]);

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
    if (selectedUid !== null) return entries.indexOfUid(selectedUid);
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
    const target = entries.at(next);
    if (!anywhere && event.shiftKey && (event.key === "ArrowDown" || event.key === "ArrowUp") && target?.kind === "row") {
      const from = entries.at(index);
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
    const position = entries.indexOfUid(uid);
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
      const entry = entries.at(currentIndex());
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
      const index = entries.indexOfUid(uid);
      if (index < 0) return null;
      for (let i = index + delta; i >= 0 && i < entries.length; i += delta) {
        const entry = entries.at(i);
        if (entry?.kind !== "row") return null;
        if (!skip?.has(entry.row.uid)) return entry.row.uid;
      }
      return null;
    },
    flagsOf: (uid: number) => {
      return entries.rowOf(uid)?.flags ?? null;
    },
  }));

  function onRowClick(event: MouseEvent<HTMLButtonElement>, row: MessageSummary) {
    // in:anywhere results are not ticked one by one (UIDs of different folders may collide).
    if (!anywhere && event.shiftKey) {
      event.preventDefault();
      onSelectionChange(selectRange(selection, order, row.uid));
      return;
    }
    if (!anywhere && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSelectionChange(toggleOne(selection, row.uid));
      return;
    }
    const uidValidity = row.uidValidity ?? list.uidValidity;
    if (uidValidity) onOpen({ uid: row.uid, uidValidity, ...(row.folder ? { folder: row.folder } : {}) });
  }

  function intentAt(target: EventTarget) {
    const index = target instanceof Element ? target.closest("[data-index]")?.getAttribute("data-index") : null;
    const entry = index == null ? undefined : entries.at(Number(index));
    const uidValidity = entry?.kind === "row" ? (entry.row.uidValidity ?? list.uidValidity) : null;
    onRowIntent?.(entry?.kind === "row" && uidValidity ? { uid: entry.row.uid, uidValidity, folder: entry.row.folder ?? (list.folder || folder) } : null);
  }

  function onRowDragStart(event: DragEvent<HTMLElement>, row: MessageSummary) {
    if (!list.uidValidity || anywhere) {
      event.preventDefault();
      return;
    }
    const withSelection = selection.uids.has(row.uid) || (selection.allInFolder && selection.uids.size === 0);
    const rows = withSelection ? [...selection.uids] : [row.uid];
    const payload: MessageDragPayload = {
      folder: list.folder || folder,
      uidValidity: list.uidValidity,
      // A conversation row carries all of its messages in the folder.
      uids: rows.flatMap((uid) => members.get(uid) ?? [uid]),
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

  function onRowToggle(row: MessageSummary, shiftKey: boolean) {
    onSelectionChange(shiftKey ? selectRange(selection, order, row.uid) : toggleOne(selection, row.uid));
  }

  // The rows are memoized: their handlers stay the same functions from render to render and call
  // this render's, which read the current selection and list (events come after the commit).
  const latest = useRef({ onRowClick, onRowToggle, onRowDragStart });
  useLayoutEffect(() => {
    latest.current = { onRowClick, onRowToggle, onRowDragStart };
  });
  const rowClick = useCallback((event: MouseEvent<HTMLButtonElement>, row: MessageSummary) => latest.current.onRowClick(event, row), []);
  const rowToggle = useCallback((row: MessageSummary, shiftKey: boolean) => latest.current.onRowToggle(row, shiftKey), []);
  const rowDragStart = useCallback((event: DragEvent<HTMLElement>, row: MessageSummary) => latest.current.onRowDragStart(event, row), []);

  const loading = list.total === null && !list.error;
  const where = anywhere ? "all folders" : folderLabelOf(list.folder || folder);
  return (
    <section aria-label="Messages" className="flex h-full min-h-0 flex-col">
      <header className="flex items-center gap-2 border-b border-slate-200 py-1.5 pr-2 pl-4 dark:border-slate-800">
        <h2 className="min-w-0 flex-1 truncate text-base font-semibold">{searching ? "Search results" : label}</h2>
        {!searching && (
          <span className="shrink-0 text-xs text-slate-600 tabular-nums dark:text-slate-400" aria-live="polite">
            {/* Until the conversations are counted (the first page came from the newest messages),
                the count is the folder's messages, and says so. */}
            {list.total === null
              ? ""
              : `${visibleTotal.toLocaleString()} ${source.kind === "conversations" && !list.totalEstimated ? "conversations" : "messages"}`}
          </span>
        )}
        {!searching && (
          <SortMenu order={listOrder} onChange={onOrderChange} conversations={conversations} onConversationsChange={onConversationsChange} />
        )}
      </header>
      {searching && (
        <SearchStatus
          query={source.query}
          where={where}
          total={list.total === null ? null : visibleTotal}
          failed={(list.search?.failedFolders ?? []).map(folderLabelOf)}
          pending={loading}
        />
      )}
      {list.error && (
        <RetryAlert className="m-3" message={list.error} onRetry={retry} />
      )}
      {list.total !== null && visibleTotal === 0 && !list.error && (
        <p className="p-6 text-center text-sm text-slate-600 dark:text-slate-400">
          {searching
            ? "No messages match. Check the spelling, or search every folder with in:anywhere."
            : "This folder is empty. Messages you move or file here will show up in this list."}
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
        <ul
          role="list"
          aria-label={searching ? "Search results" : `Messages in ${label}`}
          className="relative w-full"
          style={{ height: virtualizer.totalSize }}
          onPointerOver={(event) => intentAt(event.target)}
          onPointerLeave={() => onRowIntent?.(null)}
          onFocus={(event) => intentAt(event.target)}
        >
          {items.map((item) => {
            const entry = entries.at(item.index);
            const row = entry?.kind === "row" ? entry.row : undefined;
            return (
              <li
                key={row ? `${row.folder ?? ""}:${row.uid}` : `placeholder-${item.index}`}
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
                    checked={(!anywhere && selection.uids.has(row.uid)) || selection.allInFolder}
                    selectable={!anywhere}
                    folderLabel={anywhere && row.folder ? folderLabelOf(row.folder) : null}
                    onClick={rowClick}
                    onToggle={rowToggle}
                    onDragStart={rowDragStart}
                    first={item.index === 0}
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

