import { formatListDate } from "@/components/mail/format";

const HOUR = 3600;
const DAY = 24 * HOUR;

/** "5 minutes ago", "3 hours ago", "yesterday" (the reader's header), then the list's date. */
export function formatRelativeDate(iso: string, now = new Date(), locale?: string): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  if (Number.isNaN(seconds)) return "";
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  if (seconds > -60 && seconds <= 60) return rtf.format(0, "second");
  if (seconds > -HOUR) return rtf.format(Math.round(seconds / 60), "minute");
  if (seconds > -DAY) return rtf.format(Math.round(seconds / HOUR), "hour");
  if (seconds > -7 * DAY) return rtf.format(Math.round(seconds / DAY), "day");
  return formatListDate(iso, now, locale);
}
