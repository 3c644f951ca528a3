import { describe, expect, it } from "vitest";
import { SHORTCUTS } from "./shortcut-list";
import { commandForKey, isTypingTarget } from "./shortcuts";

const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("commandForKey", () => {
  it("maps the webmail keys", () => {
    expect(commandForKey(key("j"))).toBe("next");
    expect(commandForKey(key("/"))).toBe("search");
    expect(commandForKey(key("#", { shiftKey: true }))).toBe("delete");
    expect(commandForKey(key("I", { shiftKey: true }))).toBe("markRead");
    expect(commandForKey(key("U", { shiftKey: true }))).toBe("markUnread");
    expect(commandForKey(key("?", { shiftKey: true }))).toBe("help");
  });

  it("leaves modified keys to the browser and ignores unknown ones", () => {
    expect(commandForKey(key("c", { ctrlKey: true }))).toBeNull();
    expect(commandForKey(key("r", { metaKey: true }))).toBeNull();
    expect(commandForKey(key("z"))).toBeNull();
  });

  it("lists every command it maps in the help", () => {
    const listed = new Set(SHORTCUTS.map((s) => s.command));
    for (const k of ["j", "k", "o", "u", "x", "e", "#", "s", "v", "c", "r", "a", "f", "?"]) {
      expect(listed.has(commandForKey(key(k))!)).toBe(true);
    }
  });
});

describe("isTypingTarget", () => {
  it("is true in text fields and editable content, false on buttons and checkboxes", () => {
    expect(isTypingTarget({ tagName: "INPUT", type: "text" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "search" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "TEXTAREA" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "DIV", isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "checkbox" } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget({ tagName: "BUTTON" } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
