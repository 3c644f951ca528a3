"use client";

import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from "react";
import { Tooltip } from "./tooltip";

/**
 * A square button showing only an icon: its label is its accessible name and its tooltip, so what
 * a screen reader says and what a pointer user reads are the same words.
 */
export const IconButton = forwardRef<
  HTMLButtonElement,
  ButtonHTMLAttributes<HTMLButtonElement> & { label: string; icon: ReactNode; tooltip?: boolean }
>(function IconButton({ label, icon, className = "", type = "button", tooltip = true, ...props }, ref) {
  const button = (
    <button
      ref={ref}
      type={type}
      aria-label={label}
      className={`inline-flex h-9 w-9 shrink-0 items-center justify-center rounded-lg text-slate-700 transition-colors hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 dark:text-slate-200 dark:hover:bg-slate-800 ${className}`}
      {...props}
    >
      {icon}
    </button>
  );
  return tooltip ? <Tooltip label={label}>{button}</Tooltip> : button;
});
