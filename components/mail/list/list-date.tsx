"use client";

import { createContext, useContext, type ReactNode } from "react";
import { useHydrated } from "@/components/ui/lazy-in-browser";
import { formatFullDate, formatListDate } from "@/components/mail/format";

/** The clock the server rendered the first rows with: its time, and the browser's zone and language as far as it knew them. */
export interface RenderClock {
  now: number;
  timeZone?: string;
  locale?: string;
}

const ServerClock = createContext<RenderClock | null>(null);

/** Given by the mail page (through the shell) to the rows it renders on the server. */
export function ServerClockProvider({ clock, children }: { clock: RenderClock | null; children: ReactNode }) {
  return <ServerClock.Provider value={clock}>{children}</ServerClock.Provider>;
}

/** The cookie that tells the server the browser's time zone, for the next page it renders. */
export const TIME_ZONE_COOKIE = "lb-tz";

/** Tells the server the browser's zone (IANA names need no escaping in a cookie). */
export function rememberTimeZone() {
  document.cookie = `${TIME_ZONE_COOKIE}=${Intl.DateTimeFormat().resolvedOptions().timeZone}; path=/; max-age=31536000; samesite=lax`;
}

/**
 * A row's date. On the server and while hydrating it is written with the server's clock, so the
 * HTML and the first client render agree; from then on with the browser's own (the same text when
 * the server knew the zone and language).
 */
export function ListDate({ iso, className }: { iso: string; className: string }) {
  const server = useContext(ServerClock);
  const clock = useHydrated() ? null : server;
  return (
    <time dateTime={iso} title={formatFullDate(iso, clock?.locale, clock?.timeZone)} className={className}>
      <span className="sr-only">, </span>
      {formatListDate(iso, clock ? new Date(clock.now) : new Date(), clock?.locale, clock?.timeZone)}
    </time>
  );
}
