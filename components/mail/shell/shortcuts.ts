// Keyboard shortcuts in the style webmail users know (Gmail's, mostly). Pure: which command a key
// press means, and whether it must be ignored because the user is typing.

export type ShortcutCommand =
  | "next"
  | "previous"
  | "open"
  | "back"
  | "archive"
  | "delete"
  | "flag"
  | "markRead"
  | "markUnread"
  | "move"
  | "select"
  | "compose"
  | "reply"
  | "replyAll"
  | "forward"
  | "search"
  | "help";


interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** True when a key press belongs to a field: typing "j" in a text box must type "j". */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof target !== "object" || !("tagName" in target)) return false;
  const element = target as { tagName: string; isContentEditable?: boolean; type?: string };
  const tag = element.tagName.toUpperCase();
  if (element.isContentEditable) return true;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !["checkbox", "radio", "button", "submit", "reset"].includes((element.type ?? "text").toLowerCase());
  return false;
}

/**
 * The command of a key press, or null. Modified keys (Ctrl, Cmd, Alt) are the browser's and never
 * ours. Enter is handled by the focused row itself (a button), so it is not listed here.
 */
export function commandForKey(event: KeyLike): ShortcutCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case "j":
      return "next";
    case "k":
      return "previous";
    case "o":
      return "open";
    case "u":
      return "back";
    case "x":
      return "select";
    case "e":
      return "archive";
    case "#":
      return "delete";
    case "s":
      return "flag";
    case "I":
      return event.shiftKey ? "markRead" : null;
    case "U":
      return event.shiftKey ? "markUnread" : null;
    case "v":
      return "move";
    case "c":
      return "compose";
    case "r":
      return "reply";
    case "a":
      return "replyAll";
    case "f":
      return "forward";
    case "/":
      return "search";
    case "?":
      return "help";
    default:
      return null;
  }
}
