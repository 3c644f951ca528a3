"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { FirstPaint } from "@/lib/mail/types";
import { ApiError } from "./api-client";
import { mailKeys } from "./keys";

function makeClient(seed: FirstPaint | null) {
  const client = new QueryClient({
    defaultOptions: {
      queries: {
        // A folder the user comes back to shows at once from the cache and is revalidated.
        staleTime: 15_000,
        gcTime: 10 * 60_000,
        // A refusal (4xx) will not change by asking again; a dropped connection may. A search the
        // server could not finish within its bound (SEARCH_TIMEOUT, minutes) would only take as long again.
        retry: (count, error) =>
          count < 1 && !(error instanceof ApiError && ((error.status >= 400 && error.status < 500) || error.code === "SEARCH_TIMEOUT")),
        refetchOnWindowFocus: true,
      },
    },
  });
  if (seed) {
    // What the page's HTML already shows goes into the cache under the keys the client's own queries
    // use, so they find it and do not ask again (TanStack Query's initial data, without the hydration
    // module's script). Aged from when the server read it; never newer than the browser's clock says.
    const updatedAt = Math.min(seed.at, Date.now());
    if (seed.folders) client.setQueryData(mailKeys.folders(), seed.folders, { updatedAt });
    if (seed.settings) client.setQueryData(mailKeys.settings(), seed.settings, { updatedAt });
    const list = seed.list;
    if (list) client.setQueryData(mailKeys.page({ kind: list.kind, folder: list.folder }, list, 0), list.page, { updatedAt });
  }
  return client;
}

/**
 * One client per browser tab: the mail view's cache of folders, list pages and messages, starting
 * with what the server rendered (`seed`, from the mail page).
 */
export function QueryProvider({ seed = null, children }: { seed?: FirstPaint | null; children: ReactNode }) {
  const [client] = useState(() => makeClient(seed));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
