import type { ShortcutCommand } from "./shortcuts";

// Apart from shortcuts.ts (which key means what, needed from the first keystroke) so that the
// descriptions load with the "?" dialog, not with the mail view's first visit.

/** Shown in the "?" dialog, in this order. */
export const SHORTCUTS: { keys: string; command: ShortcutCommand; description: string }[] = [
  { keys: "j", command: "next", description: "Next message" },
  { keys: "k", command: "previous", description: "Previous message" },
  { keys: "o or Enter", command: "open", description: "Open message" },
  { keys: "u", command: "back", description: "Back to the list" },
  { keys: "x", command: "select", description: "Select or deselect message" },
  { keys: "e", command: "archive", description: "Archive" },
  { keys: "#", command: "delete", description: "Delete" },
  { keys: "s", command: "flag", description: "Flag or unflag" },
  { keys: "Shift+I", command: "markRead", description: "Mark as read" },
  { keys: "Shift+U", command: "markUnread", description: "Mark as unread" },
  { keys: "v", command: "move", description: "Move to folder" },
  { keys: "c", command: "compose", description: "Compose" },
  { keys: "r", command: "reply", description: "Reply" },
  { keys: "a", command: "replyAll", description: "Reply all" },
  { keys: "f", command: "forward", description: "Forward" },
  { keys: "/", command: "search", description: "Search mail" },
  { keys: "?", command: "help", description: "Show keyboard shortcuts" },
];
