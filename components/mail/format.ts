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

/** "5 minutes ago", "3 hours ago", "yesterday", then the list's date. */
export function formatRelativeDate(iso: string, now = new Date(), locale?: string): string {
  const date = new Date(iso);
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Number.isNaN(seconds)) return "";
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  if (seconds > -60 && seconds <= 60) return rtf.format(0, "second");
  if (seconds > -3600) return rtf.format(Math.round(seconds / 60), "minute");
  if (seconds > -DAY / 1000) return rtf.format(Math.round(seconds / 3600), "hour");
  if (seconds > -7 * (DAY / 1000)) return rtf.format(Math.round(seconds / (DAY / 1000)), "day");
  return formatListDate(iso, now, locale);
}

/** Up to two initials from a name, else the first letter of the address. */
export function initialsOf(a: Address | undefined): string {
  if (!a) return "?";
  const words = (a.name || "").split(/[\s,.]+/).filter((w) => /^\p{L}/u.test(w));
  if (words.length >= 2) return `${words[0]![0]}${words[words.length - 1]![0]}`.toUpperCase();
  if (words.length === 1) return words[0]!.slice(0, 1).toUpperCase();
  return (a.address || "?").slice(0, 1).toUpperCase();
}

/** A short kind for a MIME type or file name: "CSV", "PDF", "Image". */
export function fileKind(contentType: string, filename: string): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(filename)?.[1];
  if (ext) return ext.toUpperCase();
  const [type = "", sub = ""] = contentType.split(";")[0]!.trim().toLowerCase().split("/");
  if (type === "image") return "Image";
  if (type === "audio") return "Audio";
  if (type === "video") return "Video";
  if (sub === "plain") return "Text";
  return sub ? sub.replace(/^x-/, "").toUpperCase() : "File";
}

/** Sizes in SI units as file managers show them: "12 kB", "3.4 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
