"use client";

import { useEffect, useRef, type KeyboardEvent } from "react";

export interface MenuItem {
  label: string;
  disabled?: boolean;
  onSelect: () => void;
}

/**
 * A context menu at the pointer (or beside the focused folder when opened from the keyboard with
 * Shift+F10 or the Menu key). Arrow keys move, Escape closes and gives focus back.
 */
export function FolderMenu({
  label,
  items,
  position,
  onClose,
}: {
  label: string;
  items: MenuItem[];
  position: { x: number; y: number };
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      if (opener?.isConnected) opener.focus();
    };
  }, [onClose]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = all.indexOf(document.activeElement as HTMLElement);
    if (event.key === "Escape" || event.key === "Tab") {
      event.preventDefault();
      onClose();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = all[(index + (event.key === "ArrowDown" ? 1 : all.length - 1)) % all.length];
      next?.focus();
    }
  }

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      onKeyDown={onKeyDown}
      className="fixed z-40 min-w-44 rounded-lg bg-white py-1 shadow-xl ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700"
      style={{ left: position.x, top: position.y }}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          aria-disabled={item.disabled ? "true" : undefined}
          tabIndex={-1}
          className="block w-full px-3 py-1.5 text-left text-sm hover:bg-slate-100 aria-disabled:opacity-50 dark:hover:bg-slate-800"
          onClick={() => {
            if (item.disabled) return;
            onClose();
            item.onSelect();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
