// What an outbox message's state says, in the words the Outbox view and the toasts use. Pure, so a
// unit test holds the wording; times in the user's own time zone (the browser's).
import type { OutboxItem } from "@/lib/mail/types";

const time = (at: Date, timeZone?: string) =>
  at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone });

/** "Mon 09:00" within a week, "Mon 14 Dec 09:00" beyond, "today 17:30" / "tomorrow 08:00" near. */
export function formatWhen(at: Date, now: Date, timeZone?: string): string {
  const dayKey = (d: Date) => d.toLocaleDateString("en-CA", { timeZone });
  const days = Math.round((Date.parse(dayKey(at)) - Date.parse(dayKey(now))) / 86_400_000);
  if (days === 0) return `today ${time(at, timeZone)}`;
  if (days === 1) return `tomorrow ${time(at, timeZone)}`;
  const weekday = at.toLocaleDateString("en-GB", { weekday: "short", timeZone });
  if (days > 1 && days < 7) return `${weekday} ${time(at, timeZone)}`;
  const date = at.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone });
  return `${weekday} ${date} ${time(at, timeZone)}`;
}

/** "sending in 8 s", "scheduled for Mon 09:00", "retrying: the mail server is unreachable; next try 14:05, attempt 3". */
export function describeState(item: OutboxItem, now: Date, timeZone?: string): string {
  const due = new Date(item.dueAt);
  const seconds = Math.max(0, Math.ceil((due.getTime() - now.getTime()) / 1000));
  switch (item.state) {
    case "waiting":
      return seconds > 0 ? `sending in ${seconds} s` : "sending";
    case "scheduled":
      return `scheduled for ${formatWhen(due, now, timeZone)}`;
    case "sending":
      return "sending";
    case "retrying": {
      const reason = (item.lastError ?? "the last try failed").replace(/\.$/, "");
      // The attempt the next try will be: attempts counts the tries made so far.
      return `retrying: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}; next try ${time(due, timeZone)}, attempt ${item.attempts + 1}`;
    }
    case "failed":
      return `not sent: ${item.lastError ?? "the mail server refused it"}`;
  }
}
