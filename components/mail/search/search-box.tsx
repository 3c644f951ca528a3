"use client";

import { Search, X } from "lucide-react";
import { useId, useState, type FormEvent, type KeyboardEvent, type Ref } from "react";

/**
 * The header's search box, "Search mail" (`/` focuses it, Escape leaves it). What the user typed is
 * checked by the same parser the server uses before it is sent: an operator value that cannot mean
 * anything (before:yesterday) is explained under the box at once, and nothing is searched.
 */
export function SearchBox({
  query,
  onSearch,
  onClear,
  onLeave,
  inputRef,
}: {
  /** The search shown now (from the URL), or "" when the list is a folder. */
  query: string;
  onSearch: (query: string) => void;
  onClear: () => void;
  /** Escape: focus goes back to the list. */
  onLeave: () => void;
  inputRef: Ref<HTMLInputElement>;
}) {
  const [text, setText] = useState(query);
  const [shown, setShown] = useState(query);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  // Back/forward or a new folder changes the search shown: the box follows the URL.
  if (shown !== query) {
    setShown(query);
    setText(query);
    setError(null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const q = text.trim();
    if (!q) {
      setError(null);
      if (query) onClear();
      return;
    }
    // The parser loads on the first search, not with the first view.
    const { parseSearchQuery, SearchQueryError } = await import("@/lib/mail/search/parse-query");
    try {
      parseSearchQuery(q);
    } catch (e) {
      setError(e instanceof SearchQueryError ? e.message : "The search could not be understood.");
      return;
    }
    setError(null);
    onSearch(q);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== "Escape") return;
    event.preventDefault();
    setError(null);
    onLeave();
  }

  return (
    <form role="search" aria-label="Mail" onSubmit={(event) => void submit(event)} className="relative min-w-0 flex-1 sm:max-w-md">
      <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-2.5 h-4 w-4 -translate-y-1/2 text-slate-500" />
      <input
        ref={inputRef}
        type="search"
        aria-label="Search mail"
        placeholder="Search mail"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          if (error) setError(null);
        }}
        onKeyDown={onKeyDown}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        enterKeyHint="search"
        className="h-9 w-full min-w-0 rounded-lg border border-slate-300 bg-white pr-8 pl-8 text-sm placeholder:text-slate-500 focus:border-accent-600 focus:outline-none focus:ring-2 focus:ring-accent-600/30 dark:border-slate-700 dark:bg-slate-900 dark:placeholder:text-slate-400 [&::-webkit-search-cancel-button]:hidden"
      />
      {query && (
        <button
          type="button"
          aria-label="Clear search"
          title="Clear search"
          onClick={() => {
            setText("");
            setError(null);
            onClear();
          }}
          className="absolute top-1/2 right-1.5 -translate-y-1/2 rounded p-1 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
        >
          <X aria-hidden="true" className="h-4 w-4" />
        </button>
      )}
      {error && (
        <p
          id={errorId}
          role="alert"
          className="absolute top-full right-0 left-0 z-30 mt-1 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 shadow-md dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      )}
    </form>
  );
}
