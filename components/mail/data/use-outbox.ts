"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "./api-client";
import { mailKeys } from "./keys";

/**
 * The login's outbox (states and next tries, never the bytes). While it holds something its states
 * move on by themselves (a window ends, a retry comes due), so it is asked again every few seconds;
 * empty, once a minute, in case another tab or device queued something.
 */
export function useOutbox() {
  return useQuery({
    queryKey: mailKeys.outbox(),
    queryFn: api.outbox,
    refetchInterval: (query) => ((query.state.data?.length ?? 0) > 0 ? 4_000 : 60_000),
    staleTime: 2_000,
  });
}
