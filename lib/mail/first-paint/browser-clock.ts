import "server-only";

function validTimeZone(zone: string | undefined): string | undefined {
  if (!zone || zone.length > 64) return undefined;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

function firstLocale(acceptLanguage: string | null): string | undefined {
  // "de-CH,de;q=0.9,en;q=0.8": browsers list their own language first (RFC 9110 §12.5.4).
  const tag = acceptLanguage?.split(",")[0]?.split(";")[0]?.trim();
  if (!tag || tag === "*") return undefined;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag])[0];
  } catch {
    return undefined;
  }
}

/**
 * The clock the server writes the first rows' dates with: its time, the zone the browser told it
 * in a cookie on an earlier visit, and the browser's first language. The browser renders the dates
 * again with its own after hydration; with both known, the text does not change.
 */
export function browserClock(now: number, zoneCookie: string | undefined, acceptLanguage: string | null) {
  return { now, timeZone: validTimeZone(zoneCookie), locale: firstLocale(acceptLanguage) };
}
