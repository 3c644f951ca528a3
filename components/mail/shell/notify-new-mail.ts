import type { NewMailEvent } from "@/components/mail/data/use-live-updates";

/**
 * Shows a desktop notification per unread message that just arrived in Inbox (the newest three of
 * a burst), sender as the title and subject as the text, while the user is not looking at this tab.
 * Every tab hears the same event: a tag per message lets the browser show it once. A click
 * brings the tab forward with the message open.
 */
export function notifyNewMail(event: NewMailEvent, open: (uid: number, uidValidity: string) => void): void {
  const { uidValidity, messages } = event;
  if (event.folder !== "INBOX" || !uidValidity || !messages?.length) return;
  if (document.visibilityState === "visible" && document.hasFocus()) return;
  for (const m of messages.filter((x) => !x.seen).slice(-3)) {
    const notification = new Notification(m.from?.name || m.from?.address || "New message", {
      body: m.subject || "(no subject)",
      tag: `letterbox:${uidValidity}:${m.uid}`,
    });
    notification.onclick = () => {
      window.focus();
      open(m.uid, uidValidity);
      notification.close();
    };
  }
}
