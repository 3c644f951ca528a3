"use client";

import { useEffect, useRef } from "react";
import { commandForKey, isTypingTarget, type ShortcutCommand } from "./shortcuts";

/**
 * Listens for the webmail shortcuts on the whole page, except while the user types in a field or
 * a dialog is open (its own keys win there).
 */
export function useKeyboardShortcuts(onCommand: (command: ShortcutCommand) => void): void {
  const handler = useRef(onCommand);
  useEffect(() => {
    handler.current = onCommand;
  });
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      if (document.querySelector("dialog[open], [role='menu']")) return;
      const command = commandForKey(event);
      if (!command) return;
      event.preventDefault();
      handler.current(command);
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
