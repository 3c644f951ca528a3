"use client";

import { useId, useState, type FormEvent, type KeyboardEvent, type Ref } from "react";

/**
 * The header's search box, "Search mail" (`/` focuses it, Escape leaves it). What the user typed is
 * checked by the same parser the server uses before it is sent: an operator value that cannot mean
 * anything (before:yesterday) is explained under the box at once, and nothing is searched.
 */
export interface SearchBoxProps {
  /** The search shown now (from the URL), or "" when the list is a folder. */
  query: string;
  onSearch: (query: string) => void;
  onClear: () => void;
  /** Escape: focus goes back to the list. */
  onLeave: () => void;
  inputRef: Ref<HTMLInputElement>;
}

export function SearchBox({ query, onSearch, onClear, onLeave, inputRef }: SearchBoxProps) {
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

  // Kept small (it is on every first visit): the browser's own search field draws the clear button;
  // an emptied box and Enter go back to the folder.
  return (
    <form role="search" aria-label="Mail" onSubmit={(event) => void submit(event)} className="relative min-w-0 flex-1 sm:max-w-md">
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
        className="h-9 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm placeholder:text-slate-500 dark:border-slate-700 dark:bg-slate-900 dark:placeholder:text-slate-400"
      />
      {error && (
        <p id={errorId} role="alert" className="absolute top-full z-30 mt-1 w-full min-w-64 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 shadow-md dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      )}
    </form>
  );
}
