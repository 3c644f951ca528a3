"use client";

import { Icon } from "@/components/ui/icon";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { MessageFlags, MessageSummary } from "@/lib/mail/types";
import { api, ApiError } from "./api-client";
import { displayAddress, formatListDate } from "./format";

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

/**
 * Every message of a folder in one scrolling list, newest first. Only the rows on screen exist in
 * the DOM, and only the pages they fall on are fetched, so page 2,000 of a 100,000-message folder
 * costs what page 1 does.
 */
export function MessageList({
  folder,
  folderLabel,
  selectedUid,
  flagOverrides,
  reloadToken,
  onOpen,
}: {
  folder: string;
  folderLabel: string;
  selectedUid: number | null;
  flagOverrides: Map<number, Partial<MessageFlags>>;
  reloadToken: number;
  onOpen: (message: OpenedMessage) => void;
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
  // The virtualizer is a non-memoizable hook by design; the React Compiler lint knows this.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();

  const firstIndex = items[0]?.index;
  const lastIndex = items[items.length - 1]?.index;
  useEffect(() => {
    if (firstIndex === undefined || lastIndex === undefined) return;
    for (let page = Math.floor(firstIndex / PAGE_SIZE); page <= Math.floor(lastIndex / PAGE_SIZE); page++) {
      if (!state.pages.has(page)) void loadPage(page);
    }
  }, [firstIndex, lastIndex, state.pages, loadPage]);

  const rowAt = (index: number): MessageSummary | undefined =>
    state.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Home" && event.key !== "End") return;
    const current = (event.target as HTMLElement).closest<HTMLElement>("[data-index]");
    const index = current ? Number(current.dataset.index) : (pendingFocus.current ?? -1);
    const next =
      event.key === "Home" ? 0 : event.key === "End" ? total - 1 : event.key === "ArrowDown" ? index + 1 : index - 1;
    if (next < 0 || next >= total) return;
    event.preventDefault();
    // The target row may not exist yet (off screen, or its page still loading). Focus waits on the
    // scroll container, so keys keep working, and moves to the row once it renders.
    pendingFocus.current = next;
    scrollRef.current?.focus({ preventScroll: true });
    virtualizer.scrollToIndex(next, { align: "auto" });
    focusPendingRow();
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

  return (
    <section aria-label="Messages" className="flex h-full min-h-0 flex-col">
      <header className="flex items-baseline justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 className="truncate text-lg font-semibold">{folderLabel}</h2>
        <span className="text-xs text-slate-500 tabular-nums" aria-live="polite">
          {state.total === null ? "Loading…" : `${state.total.toLocaleString()} messages`}
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
      {state.total === 0 && !error && <p className="p-6 text-center text-sm text-slate-500">This folder is empty.</p>}
      <div ref={scrollRef} tabIndex={-1} className="min-h-0 flex-1 overflow-y-auto outline-none" onKeyDown={onKeyDown}>
        <ul role="list" aria-label={`Messages in ${folderLabel}`} className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rowAt(item.index);
            return (
              <li
                key={row ? `${row.uid}` : `placeholder-${item.index}`}
                data-index={item.index}
                aria-setsize={total}
                aria-posinset={item.index + 1}
                className="absolute left-0 top-0 w-full"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                {row ? (
                  <MessageRow
                    row={row}
                    flags={{ ...row.flags, ...flagOverrides.get(row.uid) }}
                    selected={row.uid === selectedUid}
                    onOpen={() => state.uidValidity && onOpen({ uid: row.uid, uidValidity: state.uidValidity })}
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

function MessageRow({
  row,
  flags,
  selected,
  onOpen,
}: {
  row: MessageSummary;
  flags: MessageFlags;
  selected: boolean;
  onOpen: () => void;
}) {
  const sender = row.from[0] ? displayAddress(row.from[0]) : "(no sender)";
  const unread = !flags.seen;
  return (
    <button
      type="button"
      onClick={onOpen}
      aria-current={selected ? "true" : undefined}
      className={`flex h-full w-full flex-col justify-center gap-0.5 border-b border-slate-100 px-4 text-left dark:border-slate-900 ${
        selected ? "bg-accent-50 dark:bg-slate-800" : "hover:bg-slate-50 dark:hover:bg-slate-900"
      }`}
    >
      <span className="flex items-center gap-2">
        {unread ? (
          <span className="h-2 w-2 shrink-0 rounded-full bg-accent-500">
            <span className="sr-only">Unread, </span>
          </span>
        ) : (
          <span className="w-2 shrink-0" aria-hidden="true" />
        )}
        <span className={`flex-1 truncate text-sm ${unread ? "font-semibold" : "text-slate-700 dark:text-slate-300"}`}>{sender}</span>
        {flags.flagged && (
          <span className="text-amber-500" title="Flagged">
            <span aria-hidden="true">★</span>
            <span className="sr-only">, flagged</span>
          </span>
        )}
        {row.hasAttachments && (
          <span className="text-slate-500" title="Has attachments">
            <Icon name="paperclip" className="inline h-4 w-4" />
            <span className="sr-only">, has attachments</span>
          </span>
        )}
        <time dateTime={row.date} className="shrink-0 text-xs text-slate-500 tabular-nums">
          <span className="sr-only">, </span>
          {formatListDate(row.date)}
        </time>
      </span>
      <span className={`truncate pl-4 text-sm ${unread ? "font-medium" : "text-slate-600 dark:text-slate-400"}`}>
        <span className="sr-only">, </span>
        {row.subject || "(no subject)"}
      </span>
    </button>
  );
}
