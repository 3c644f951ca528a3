// The quick choices of "Send later" and the "Send at" field's value, in the browser's time zone
// (the user's). Pure, for the unit test.

/** Tomorrow at 08:00 local time. */
export function tomorrowMorning(now: Date): Date {
  const at = new Date(now);
  at.setDate(at.getDate() + 1);
  at.setHours(8, 0, 0, 0);
  return at;
}

/** The next Monday at 08:00 local time (a week ahead when today is Monday). */
export function mondayMorning(now: Date): Date {
  const at = new Date(now);
  const ahead = (8 - at.getDay()) % 7 || 7; // getDay: 0 = Sunday, 1 = Monday
  at.setDate(at.getDate() + ahead);
  at.setHours(8, 0, 0, 0);
  return at;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A date as an <input type="datetime-local"> holds it: local time, to the minute (seconds if any). */
export function toLocalInputValue(at: Date): string {
  const base = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
  return at.getSeconds() ? `${base}:${pad(at.getSeconds())}` : base;
}

/** The field's value as a time, or null when it is empty or not a date. */
export function fromLocalInputValue(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  // Without a zone designator, ECMAScript reads a date-time string as local time.
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Why a chosen time cannot be used, or null. */
export function sendAtProblem(at: Date | null, now: Date): string | null {
  if (!at) return "Enter a date and time to send the message.";
  if (at.getTime() <= now.getTime()) return "That time has already passed. Choose a time in the future.";
  return null;
}
