"use client";

import { useEffect, useState } from "react";

/**
 * The line under the list's header while it shows search results: what was searched, where, and how
 * many were found — or, while the server works, that it is searching (and, after a moment, why that
 * may take a while). Loaded with the first search, not with the first view.
 */
export function SearchStatus({
  query,
  where,
  total,
  failed,
  pending,
}: {
  query: string;
  where: string;
  /** Results as the list shows them; null while the first page is on its way. */
  total: number | null;
  /** Folders the server could not search (in:anywhere), by name. */
  failed: string[];
  /** The first page is on its way (not failed). */
  pending: boolean;
}) {
  const waited = useSecondsWaited(pending);
  const slow = waited >= 2;
  let text = "";
  if (total !== null) text = `${total.toLocaleString()} ${total === 1 ? "message" : "messages"} found for “${query}” in ${where}.`;
  else if (pending)
    text = slow
      ? "Searching… A search of message text can take a while: a word in most messages of a big folder, or a mail server without a full-text index, can take minutes."
      : "Searching…";
  if (failed.length > 0) text += ` ${failed.length === 1 ? "One folder" : `${failed.length} folders`} could not be searched: ${failed.join(", ")}.`;
  return (
    // Kept in the page while empty (after a failure the alert below speaks), so later changes are
    // still announced; without text it draws no bar.
    <p
      role="status"
      className={`text-xs text-slate-700 dark:text-slate-300 ${text ? "border-b border-slate-200 px-4 py-1.5 dark:border-slate-800" : ""}`}
    >
      {text}
      {/* The seconds so far, so a long search visibly goes on; hidden from the status region, which
          would otherwise be read out every second. */}
      {total === null && pending && slow && (
        <span aria-hidden="true" className="ml-1 tabular-nums text-slate-500 dark:text-slate-400">
          {formatWaited(waited)}
        </span>
      )}
    </p>
  );
}

function formatWaited(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

/** Whole seconds `active` has held (0 while it does not). */
function useSecondsWaited(active: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!active) return;
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => {
      clearInterval(timer);
      setSeconds(0);
    };
  }, [active]);
  return active ? seconds : 0;
}
