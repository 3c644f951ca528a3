"use client";

import { useEffect, useId, useRef, useState, type ClipboardEvent, type KeyboardEvent } from "react";
import { formatAddress, parseRecipients } from "@/lib/mail/addresses";
import type { Address } from "@/lib/mail/types";
import { composeApi } from "@/components/mail/data/compose-api";
import { chipOf, type Chip } from "./composer-state";

/**
 * One recipient line as chips: type or paste "Name <addr>", several separated by commas or
 * semicolons; each is parsed by the RFC 5322 parser as soon as it is complete, and an invalid one is
 * marked at once. Suggestions come from the server's address book for this account.
 */
export function RecipientField({
  label,
  chips,
  onChange,
  autoFocus,
}: {
  label: "To" | "Cc" | "Bcc";
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const [suggestions, setSuggestions] = useState<Address[]>([]);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);

  const query = text.trim();
  const asking = query.length >= 1 && !/[,;]/.test(query);
  useEffect(() => {
    if (!asking) return;
    const q = query;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      composeApi.contacts(q, controller.signal).then(
        (list) => {
          const taken = new Set(chips.map((c) => c.address?.address.toLowerCase()));
          const fresh = list.filter((a) => !taken.has(a.address.toLowerCase()));
          setSuggestions(fresh);
          // The first suggestion is highlighted, so Enter or Tab takes it, as in every mail client.
          setActive(fresh.length ? 0 : -1);
        },
        () => setSuggestions([]),
      );
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [asking, query, chips]);
  // Suggestions for an earlier, shorter text stay up until the new ones come: only ones that still
  // match what is typed can be taken.
  const lower = query.toLowerCase();
  const shown = asking ? suggestions.filter((a) => a.address.toLowerCase().includes(lower) || a.name.toLowerCase().includes(lower)) : [];

  function commit(value: string) {
    const parsed = parseRecipients(value);
    if (parsed.length) onChange([...chips, ...parsed]);
    setText("");
    setSuggestions([]);
  }

  function choose(address: Address) {
    onChange([...chips, chipOf(address)]);
    setText("");
    setSuggestions([]);
    inputRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" && shown.length) {
      event.preventDefault();
      setActive((i) => (i + 1) % shown.length);
    } else if (event.key === "ArrowUp" && shown.length) {
      event.preventDefault();
      setActive((i) => (i <= 0 ? shown.length - 1 : i - 1));
    } else if ((event.key === "Enter" || (event.key === "Tab" && !event.shiftKey)) && active >= 0 && shown[active]) {
      event.preventDefault();
      choose(shown[active]);
    } else if ((event.key === "Enter" || event.key === "," || event.key === ";") && text.trim()) {
      event.preventDefault();
      commit(text);
    } else if (event.key === "Escape" && shown.length) {
      event.stopPropagation();
      setSuggestions([]);
    } else if (event.key === "Backspace" && !text && chips.length) {
      onChange(chips.slice(0, -1));
    }
  }

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const pasted = event.clipboardData.getData("text");
    if (/[,;\n]/.test(pasted)) {
      event.preventDefault();
      commit(text + pasted);
    }
  }

  const listId = `${id}-suggestions`;
  return (
    <div className="flex items-start gap-2 border-b border-slate-200 px-3 py-1.5 dark:border-slate-800">
      <label htmlFor={id} className="w-10 shrink-0 pt-1 text-sm text-slate-600 sm:w-14 dark:text-slate-400">
        {label}
      </label>
      <div className="relative flex min-w-0 flex-1 flex-wrap items-center gap-1">
        {chips.length > 0 && (
          <ul aria-label={`${label} recipients`} className="contents">
            {chips.map((chip, i) => (
              <li
                key={`${i}-${chip.text}`}
                aria-label={chip.address ? formatAddress(chip.address) : `${chip.text}, not a valid address`}
                data-invalid={chip.address ? undefined : "true"}
                className={`flex max-w-full items-center gap-1 rounded-full px-2 py-0.5 text-sm ${
                  chip.address
                    ? "bg-slate-100 dark:bg-slate-800"
                    : "bg-red-50 text-red-800 ring-1 ring-red-400 dark:bg-red-950 dark:text-red-200"
                }`}
                title={chip.address ? chip.address.address : "Not a valid address: remove it and type it again"}
              >
                <span className="truncate">{chip.address?.name || chip.address?.address || chip.text}</span>
                {!chip.address && <span className="sr-only">(not a valid address)</span>}
                <button
                  type="button"
                  aria-label={`Remove ${chip.address?.address ?? chip.text}`}
                  className="opacity-60 hover:opacity-100"
                  onClick={() => onChange(chips.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <input
          ref={inputRef}
          id={id}
          value={text}
          autoFocus={autoFocus}
          autoComplete="off"
          role="combobox"
          aria-expanded={shown.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
          onChange={(e) => {
            const value = e.target.value;
            // A separator typed at the end completes the recipient before it.
            if (/[,;]\s*$/.test(value) && value.replace(/[,;]\s*$/, "").trim()) commit(value);
            else setText(value);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          // Leaving the field completes what was typed (suggestions keep focus: they act on mousedown).
          onBlur={() => text.trim() && commit(text)}
          className="min-w-[6rem] flex-1 bg-transparent py-1 text-sm outline-none"
        />
        {shown.length > 0 && (
          <ul
            id={listId}
            role="listbox"
            aria-label={`Suggestions for ${label}`}
            className="absolute top-full left-0 z-20 mt-1 w-full max-w-md rounded-lg bg-white py-1 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700"
          >
            {shown.map((a, i) => (
              <li
                key={a.address}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(a);
                }}
                className={`cursor-pointer px-3 py-1.5 text-sm ${i === active ? "bg-slate-100 dark:bg-slate-800" : ""}`}
              >
                {formatAddress(a)}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

