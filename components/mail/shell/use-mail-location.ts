"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { locationUrl, readLocation, type MailLocation } from "./mail-location";

export type { MailLocation };

/** Longest a navigation's history entry waits for what it was told to wait for. */
const WRITE_AFTER_CAP_MS = 1000;

/**
 * What the mail view shows lives in the URL: the source, its order and the open message.
 *
 * Next.js keeps useSearchParams in step with the history API, without a server round trip, but it
 * applies a pushed URL in a transition of the whole router tree: rendered in slices, behind other
 * work, so a click on a row waited 30–50 ms before the reader even asked for the body. The location
 * this tab asked for is therefore shown at once (an update made in the click, which React renders
 * without yielding) and handed back to the URL when the router's own update arrives.
 */
export function useMailLocation() {
  const searchParams = useSearchParams();
  const urlQuery = searchParams.toString();
  // What this tab asked for, and the URL it was asked from: shown while the router still has that
  // URL. Any change of the router's URL (this request arriving, a link, a redirect) takes over.
  const [asked, setAsked] = useState<{ query: string; from: string } | null>(null);
  // Forgotten as soon as the router's URL moves on (set while rendering, as React advises for state
  // that follows a prop), so that coming back to that URL later does not bring it back.
  if (asked !== null && asked.from !== urlQuery) setAsked(null);
  const query = asked !== null && asked.from === urlQuery ? asked.query : urlQuery;
  // The history entry the view has shown but not yet written (see navigate).
  const unwritten = useRef<{ url: string; replace: boolean } | null>(null);
  useEffect(() => {
    // Back and forward are the router's alone: what this tab asked for before no longer counts,
    // and an entry not yet written would land after the one the browser went to.
    const forget = () => {
      unwritten.current = null;
      setAsked(null);
    };
    window.addEventListener("popstate", forget);
    return () => window.removeEventListener("popstate", forget);
  }, []);
  const params = useMemo(() => new URLSearchParams(query), [query]);
  const location = useMemo(() => readLocation(params), [params]);
  // The URL the router has now, for navigate() to name what it asks from; navigate itself stays the
  // same function for the view's callbacks.
  const routerQuery = useRef(urlQuery);
  useLayoutEffect(() => {
    routerQuery.current = urlQuery;
  }, [urlQuery]);
  /**
   * Shows `next` at once and writes its history entry — at once, or once `writeAfter` has settled
   * (at most WRITE_AFTER_CAP_MS later) and a frame has painted. Opening a message waits for its
   * body to be painted: Next.js copies its router tree into every entry we write (a structured
   * clone), then renders the router again in a transition and writes the entry once more, 10–15 ms
   * of the page's thread that held up the message's own rendering by about 20 ms on this machine.
   */
  const navigate = useCallback((next: MailLocation, replace = false, writeAfter?: Promise<unknown>) => {
    const url = locationUrl(next);
    setAsked({ query: new URLSearchParams(url.slice(url.indexOf("?") + 1)).toString(), from: routerQuery.current });
    // Navigations before an entry was written make one entry, a push if any of them was.
    const pending = unwritten.current;
    unwritten.current = { url, replace: (pending?.replace ?? true) && replace };
    const write = () => {
      const entry = unwritten.current;
      unwritten.current = null;
      if (!entry) return;
      if (entry.replace) window.history.replaceState(null, "", entry.url);
      else window.history.pushState(null, "", entry.url);
    };
    if (!writeAfter) return write();
    if (pending) return;
    const cap = new Promise((resolve) => setTimeout(resolve, WRITE_AFTER_CAP_MS));
    void Promise.race([writeAfter.catch(() => undefined), cap]).then(() => {
      // A hidden tab gets no animation frames.
      if (document.hidden) write();
      else requestAnimationFrame(() => setTimeout(write, 0));
    });
  }, []);
  return { ...location, params, navigate };
}
