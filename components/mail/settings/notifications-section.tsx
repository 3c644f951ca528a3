"use client";

import { useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import {
  disableNotifications,
  enableNotifications,
  notificationState,
  subscribeNotificationState,
  type NotificationState,
} from "@/components/mail/shell/notifications";
import { SettingsSection } from "./settings-section";

const DESCRIPTION: Record<NotificationState, string> = {
  unsupported: "This browser cannot show desktop notifications.",
  denied: "This browser blocks notifications from Letterbox. Allow them in the site settings (the icon left of the address), then come back here.",
  off: "Notifications are off. Turn them on to hear of new mail in Inbox while Letterbox is in the background.",
  on: "Notifications are on: new mail in Inbox shows the sender and subject while Letterbox is in the background. Click one to open the message.",
};

/** "Notifications": the one place that asks the browser's permission, from the user's click. */
export function NotificationsSection() {
  // The browser's state is known only after hydration; until then no control is offered.
  const state = useSyncExternalStore<NotificationState | null>(subscribeNotificationState, notificationState, () => null);

  return (
    <SettingsSection id="notifications" title="Notifications" description="Desktop notifications for new mail, in this browser.">
      <div className="space-y-3">
        <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
          {state ? DESCRIPTION[state] : ""}
        </p>
        {state === "off" && (
          <Button variant="primary" onClick={() => void enableNotifications()}>
            Enable notifications
          </Button>
        )}
        {state === "on" && (
          <Button
            onClick={disableNotifications}
          >
            Turn off notifications
          </Button>
        )}
      </div>
    </SettingsSection>
  );
}
