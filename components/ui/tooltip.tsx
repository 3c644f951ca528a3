"use client";

import { lazy, Suspense, useEffect, useRef, useState, type FocusEvent, type PointerEvent, type ReactNode } from "react";

const TooltipBubble = lazy(() => import("./tooltip-bubble"));

const SHOW_DELAY_MS = 400;

/**
 * A tooltip on hover and on keyboard focus, for controls named by the same words (icon buttons):
 * it shows what the accessible name already says. The trigger is rendered as it is — nothing wraps
 * or remounts it — and the bubble's code loads on the first hover, not with the page.
 */
export function Tooltip({ label, children }: { label: string; children: ReactNode }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const cancel = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  const show = (target: EventTarget | null, delay: number) => {
    // Over an icon button the pointer is mostly over the icon: an SVG element, not an HTMLElement.
    if (!(target instanceof Element)) return;
    const el = target.closest<HTMLElement>("button, a, [tabindex]");
    if (!el) return;
    cancel();
    timer.current = setTimeout(() => setAnchor(el), delay);
  };
  const hide = () => {
    cancel();
    setAnchor(null);
  };
  useEffect(() => cancel, []);

  return (
    <span
      className="contents"
      onPointerOver={(e: PointerEvent) => e.pointerType === "mouse" && show(e.target, SHOW_DELAY_MS)}
      onPointerOut={hide}
      onPointerDown={hide}
      onFocus={(e: FocusEvent) => (e.target as HTMLElement).matches(":focus-visible") && show(e.target, 0)}
      onBlur={hide}
      onKeyDown={(e) => e.key === "Escape" && anchor && hide()}
    >
      {children}
      {anchor && (
        <Suspense fallback={null}>
          <TooltipBubble anchor={anchor} label={label} onGone={hide} />
        </Suspense>
      )}
    </span>
  );
}
