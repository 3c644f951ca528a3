"use client";

import { useEffect, useRef, useState } from "react";
import { tellBodyPainted } from "./body-painted";

/** The smallest shrink that keeps a wide message's text legible; narrower frames scroll sideways. */
const MIN_ZOOM = 0.5;

// Plain-text mail has no design of its own to keep: in dark mode it is drawn on the page's dark
// background instead of a white card. HTML mail keeps its white card, as its sender laid it out.
const DARK_PLAIN_CSS =
  "html,body{background:#020617!important;color:#e2e8f0!important}a{color:#a9c4ff!important}blockquote{border-color:#475569!important;color:#94a3b8!important}";

/**
 * The body lives in a sandboxed frame: no scripts (no allow-scripts), same origin only so that the
 * frame can send the session cookie for inline images and we can size it to its content. Its
 * document came with the message's JSON (`srcdoc`): no second request, no wait for one, and a
 * message fetched ahead paints from memory. That document carries its own policy besides the
 * sandbox (lib/mail/mime/render-body-document.ts).
 *
 * Without a document yet (the reader waits for the message's JSON) the frame is there but empty and
 * not laid out: making a frame costs several milliseconds of the page's thread (its browsing
 * context), better spent while the request is out than once the answer is in.
 */
export function BodyFrame({
  bodyDocument,
  remoteAllowed = false,
  onLoaded,
}: {
  /** The frame's whole document, as the message route sends it; undefined while it is on its way. */
  bodyDocument: string | undefined;
  /** This document is the one with remote images allowed (through the image proxy). */
  remoteAllowed?: boolean;
  /** The body is on screen (loaded and painted). */
  onLoaded?: () => void;
}) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(200);
  const [plainDark, setPlainDark] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const told = useRef(false);
  const widthFitted = useRef(0);

  useEffect(() => {
    if (!loaded || told.current) return;
    told.current = true;
    // Told once the body has been painted (a task after the next frame), so that what the reader
    // does then (marking the message read) does not hold up that frame.
    requestAnimationFrame(() =>
      setTimeout(() => {
        onLoaded?.();
        tellBodyPainted();
      }, 0),
    );
  }, [loaded, onLoaded]);

  function fit() {
    const doc = ref.current?.contentDocument;
    if (!doc?.documentElement) return;
    const root = doc.documentElement;
    // Mail laid out wider than the frame (a 600 px newsletter on a phone) is shrunk to the frame's
    // width, as mail apps do, instead of scrolling sideways inside it. Measured unshrunk each time
    // the content grows past the frame or the frame's width changes; below MIN_ZOOM it would be
    // unreadable, so it scrolls instead.
    // Already at MIN_ZOOM and still too wide: measuring again (every late image) would change nothing.
    const atMin = doc.body?.style.zoom === String(MIN_ZOOM);
    if (doc.body && ((root.scrollWidth > root.clientWidth + 1 && !atMin) || root.clientWidth !== widthFitted.current)) {
      widthFitted.current = root.clientWidth;
      doc.body.style.zoom = "";
      // The overflowing width leaves out the body's right padding; the shrunk message keeps it.
      const padding = parseFloat(doc.defaultView?.getComputedStyle(doc.body).paddingRight ?? "") || 0;
      const overflow = root.scrollWidth > root.clientWidth + 1 ? (root.scrollWidth + padding) / root.clientWidth : 1;
      if (overflow > 1.01) doc.body.style.zoom = String(Math.max(MIN_ZOOM, 1 / overflow));
    }
    setHeight(Math.max(120, root.scrollHeight + 8));
  }

  function onLoad() {
    const doc = ref.current?.contentDocument;
    // The empty document a frame starts with loads too; only the body's own counts.
    if (bodyDocument === undefined || doc?.URL !== "about:srcdoc") return;
    const dark = document.documentElement.classList.contains("dark");
    if (doc && dark && doc.querySelector(".lb-plain") && !doc.querySelector(".lb-plain ~ *, .lb-plain *[style*=background]")) {
      const style = doc.createElement("style");
      style.textContent = DARK_PLAIN_CSS;
      doc.head?.appendChild(style);
      setPlainDark(true);
    }
    fit();
    // Late images change the height (and may widen the content), a turned phone the width; observe
    // the document and the frame once the document is there.
    if (doc?.body && typeof ResizeObserver !== "undefined") {
      const observer = new ResizeObserver(fit);
      observer.observe(doc.body);
      observer.observe(doc.documentElement);
    }
    setLoaded(true);
  }

  return (
    <iframe
      ref={ref}
      title="Message body"
      {...(bodyDocument !== undefined && { srcDoc: bodyDocument })}
      data-remote-content={remoteAllowed ? "allowed" : "blocked"}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      onLoad={onLoad}
      // Until its document is there, the frame is the reader's loading placeholder.
      className={`${bodyDocument === undefined ? "hidden" : "block"} w-full rounded-lg ${!loaded ? "animate-pulse bg-slate-100 dark:bg-slate-900" : plainDark ? "bg-slate-950" : "bg-white"}`}
      style={{ height }}
    />
  );
}
