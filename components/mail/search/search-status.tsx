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
  const slow = useSlow(pending, 1500);
  let text = "";
  if (total !== null) text = `${total.toLocaleString()} ${total === 1 ? "message" : "messages"} found for “${query}” in ${where}.`;
  else if (pending)
    text = slow ? "Searching… A search of message text can take a while on a mail server without a full-text index." : "Searching…";
  if (failed.length > 0) text += ` ${failed.length === 1 ? "One folder" : `${failed.length} folders`} could not be searched: ${failed.join(", ")}.`;
  return (
    <p role="status" className="border-b border-slate-200 px-4 py-1.5 text-xs text-slate-700 dark:border-slate-800 dark:text-slate-300">
      {text}
    </p>
  );
}

/** True once `active` has held for `ms`. */
function useSlow(active: boolean, ms: number): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(() => setSlow(true), ms);
    return () => {
      clearTimeout(timer);
      setSlow(false);
    };
  }, [active, ms]);
  return active && slow;
}
