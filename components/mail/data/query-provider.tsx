"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ApiError } from "./api-client";

function makeClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A folder the user comes back to shows at once from the cache and is revalidated.
        staleTime: 15_000,
        gcTime: 10 * 60_000,
        // A refusal (4xx) will not change by asking again; a dropped connection may.
        retry: (count, error) => count < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: true,
      },
    },
  });
}

/** One client per browser tab: the mail view's cache of folders, list pages and messages. */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(makeClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
