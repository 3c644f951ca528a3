/**
 * Moves focus to `element` (a view that has just loaded, e.g. the reader's heading), unless the
 * user has meanwhile opened a menu or a dialog: focus leaving it dismisses it, so a menu opened
 * while the page was still loading closed by itself the moment the reader arrived.
 */
export function focusWhenFree(element: HTMLElement | null | undefined): void {
  const active = document.activeElement;
  if (active instanceof HTMLElement && active.closest('[role="menu"], [role="dialog"], [role="alertdialog"]')) return;
  element?.focus();
}
