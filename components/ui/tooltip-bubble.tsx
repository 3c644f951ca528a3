"use client";

import { autoUpdate, flip, offset, shift, useFloating } from "@floating-ui/react-dom";
import { useEffect } from "react";
import { createPortal } from "react-dom";

/**
 * The visible part of a tooltip, placed by Floating UI beside its anchor, flipped and shifted to
 * stay in the window. Fixed positioning: it never widens the page. Loaded on the first hover.
 */
export default function TooltipBubble({ anchor, label, onGone }: { anchor: HTMLElement; label: string; onGone: () => void }) {
  // A focused button that becomes disabled (Archive, once the selection it acted on is gone) loses
  // the focus without a blur event in Chromium: the bubble would stay. It goes with the button's
  // being disabled, or taken out of the page.
  useEffect(() => {
    const gone = () => (anchor.matches(":disabled") || !anchor.isConnected) && onGone();
    const watch = new MutationObserver(gone);
    watch.observe(anchor, { attributes: true, attributeFilter: ["disabled"] });
    if (anchor.parentElement) watch.observe(anchor.parentElement, { childList: true });
    gone();
    return () => watch.disconnect();
  }, [anchor, onGone]);
  const { refs, floatingStyles } = useFloating({
    elements: { reference: anchor },
    placement: "bottom",
    strategy: "fixed",
    middleware: [offset(6), flip({ padding: 8 }), shift({ padding: 8 })],
    whileElementsMounted: autoUpdate,
  });
  return createPortal(
    // The button is already named by the same words (its aria-label): this is for the eye only.
    <div
      // setFloating is a callback ref, not a ref's value; the lint cannot tell from its container.
      // eslint-disable-next-line react-hooks/refs
      ref={refs.setFloating}
      aria-hidden="true"
      style={floatingStyles}
      className="pointer-events-none z-50 rounded-md bg-slate-900 px-2 py-1 text-xs whitespace-nowrap text-white shadow-lg dark:bg-slate-100 dark:text-slate-900"
    >
      {label}
    </div>,
    document.body,
  );
}
