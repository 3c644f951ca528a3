"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { locationUrl, readLocation, type MailLocation } from "./mail-location";

export type { MailLocation };

/** What the mail view shows lives in the URL: the source, its order and the open message. */
export function useMailLocation() {
  const searchParams = useSearchParams();
  const query = searchParams.toString();
  const location = useMemo(() => readLocation(new URLSearchParams(query)), [query]);
  const navigate = useCallback((next: MailLocation, replace = false) => {
    // Next.js keeps useSearchParams in step with the history API, without a server round trip.
    if (replace) window.history.replaceState(null, "", locationUrl(next));
    else window.history.pushState(null, "", locationUrl(next));
  }, []);
  return { ...location, navigate };
}
