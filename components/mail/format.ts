import type { Address } from "@/lib/mail/types";

export function displayAddress(a: Address): string {
  return a.name || a.address || "(unknown)";
}

export function fullAddress(a: Address): string {
  return a.name && a.address ? `${a.name} <${a.address}>` : a.address || a.name;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Date formatters, made once per language, zone and style. Building an Intl.DateTimeFormat (which
 * `toLocaleDateString` with options does on every call) costs far more than formatting with one:
 * four per list row made the server spend ~15 ms of each mail page, and the browser as much while
 * hydrating, on dates alone. The cache holds formatters, not anyone's data; it is capped because a
 * server sees the languages and zones of all its users.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 200;

function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ""}\n${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** A date's calendar day (days since the epoch) and year, as seen in `timeZone` (the local one if omitted). */
function calendarDay(date: Date, timeZone?: string): { day: number; year: number } {
  const parts = dateFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" }).formatToParts(date);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { day: Date.UTC(part("year"), part("month") - 1, part("day")) / DAY, year: part("year") };
}

/**
 * The list's short date: "10:42" today, "Tue" this week, "Mar 8" this year, "2024" before. The
 * server renders the first rows with the browser's zone and language when it knows them
 * (`timeZone`, `locale`), so the browser's own rendering after hydration changes nothing.
 */
export function formatListDate(iso: string, now = new Date(), locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const [then, today] = [calendarDay(date, timeZone), calendarDay(now, timeZone)];
  if (then.day === today.day) {
    return dateFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(date);
  }
  if (then.day < today.day && then.day >= today.day - 6) {
    return dateFormat(locale, { weekday: "short", timeZone }).format(date);
  }
  if (then.year === today.year) {
    return dateFormat(locale, { month: "short", day: "numeric", timeZone }).format(date);
  }
  return String(then.year);
}

/** The full date, for a tooltip: "Tuesday, December 1, 2026 at 10:42". */
export function formatFullDate(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return dateFormat(locale, { dateStyle: "full", timeStyle: "short", timeZone }).format(date);
}

/** Up to two initials from a name, else the first letter of the address. */
export function initialsOf(a: Address | undefined): string {
  if (!a) return "?";
  const words = (a.name || "").split(/[\s,.]+/).filter((w) => /^\p{L}/u.test(w));
  if (words.length >= 2) return `${words[0]![0]}${words[words.length - 1]![0]}`.toUpperCase();
  if (words.length === 1) return words[0]!.slice(0, 1).toUpperCase();
  return (a.address || "?").slice(0, 1).toUpperCase();
}
