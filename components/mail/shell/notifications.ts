// Desktop notifications for new mail in Inbox: off until the user turns them on from Settings
// (the browser's permission prompt only ever follows that click, never a page load). The choice is
// this browser's, like the permission itself.

const KEY = "letterbox:notifications";
const CHANGED = "letterbox:notifications-changed";

/** For useSyncExternalStore: calls `onChange` when this tab turned notifications on or off. */
export function subscribeNotificationState(onChange: () => void): () => void {
  window.addEventListener(CHANGED, onChange);
  return () => window.removeEventListener(CHANGED, onChange);
}

export type NotificationState = "unsupported" | "denied" | "off" | "on";

export function notificationState(): NotificationState {
  if (typeof window === "undefined" || !("Notification" in window)) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return Notification.permission === "granted" && localStorage.getItem(KEY) === "on" ? "on" : "off";
}

/** Asks the browser (from a click), and remembers the choice when it allowed. */
export async function enableNotifications(): Promise<NotificationState> {
  if (notificationState() === "unsupported") return "unsupported";
  const permission = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
  if (permission === "granted") localStorage.setItem(KEY, "on");
  window.dispatchEvent(new Event(CHANGED));
  return notificationState();
}

export function disableNotifications(): void {
  localStorage.removeItem(KEY);
  window.dispatchEvent(new Event(CHANGED));
}
