"use client";

import { useQueries, type UseQueryResult } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { MessagePage, MessageSummary, SearchPage } from "@/lib/mail/types";
import { ApiError } from "./api-client";
import { mailKeys } from "./keys";
import { fetchSourcePage, sourceId, type ListOrder, type ListSource } from "./source";

export interface SourceList {
  /** Messages in the source as the newest answer says; null until one arrived. */
  total: number | null;
  /**
   * The conversation view's `total` is still the folder's message count (an upper bound), its
   * conversations not yet counted: the first page came before the whole folder was threaded.
   */
  totalEstimated: boolean;
  uidValidity: string | null;
  /** The folder the rows are in ("" when they each name their own: in:anywhere); null until known. */
  folder: string | null;
  /** What the newest answer says was searched, for a search source; null for a folder. */
  search: Pick<SearchPage, "query" | "scope" | "failedFolders"> | null;
  /** Loaded pages by number; a page of another UIDVALIDITY than the newest answer is left out. */
  pages: ReadonlyMap<number, MessageSummary[]>;
  /** The first failure, in the server's words; one message however many pages failed. */
  error: string | null;
  /** Asks for a page (it scrolled into view); cached pages show at once and revalidate. */
  want: (page: number) => void;
  /** Fetches the failed pages again. */
  retry: () => void;
}

function combine(results: UseQueryResult<MessagePage>[]) {
  let newest: MessagePage | undefined;
  let newestAt = -1;
  for (const r of results) {
    if (r.data && r.dataUpdatedAt > newestAt) {
      newest = r.data;
      newestAt = r.dataUpdatedAt;
    }
  }
  const pages = new Map<number, MessageSummary[]>();
  for (const r of results) {
    if (r.data && r.data.uidValidity === newest?.uidValidity) pages.set(r.data.page, r.data.messages);
  }
  const failed = results.find((r) => r.isError && !r.isFetching);
  const error = failed ? (failed.error instanceof ApiError ? failed.error.message : "The messages could not be loaded.") : null;
  const refetchFailed = () => {
    for (const r of results) if (r.isError) void r.refetch();
  };
  const search = newest && "scope" in newest ? (newest as SearchPage) : null;
  return {
    total: newest?.total ?? null,
    totalEstimated: newest?.totalEstimated === true,
    uidValidity: newest?.uidValidity ?? null,
    folder: newest?.folder ?? null,
    search: search && { query: search.query, scope: search.scope, failedFolders: search.failedFolders },
    pages,
    error,
    refetchFailed,
  };
}

/**
 * The pages of a source the user has scrolled to, each a query keyed by source, order and page
 * number, so page 2,000 of a 100,000-message folder costs what page 1 does, and a folder the user
 * comes back to shows at once.
 */
export function useSourceList(source: ListSource, order: ListOrder, pageSize: number): SourceList {
  const key = `${sourceId(source)}|${order.sort}|${order.order}`;
  const [wanted, setWanted] = useState<{ key: string; pages: number[] }>({ key, pages: [0] });
  const pages = wanted.key === key ? wanted.pages : [0];

  const result = useQueries({
    queries: pages.map((page) => ({
      queryKey: mailKeys.page(source, order, page),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchSourcePage(source, order, page, pageSize, signal),
    })),
    combine,
  });

  const want = useCallback(
    (page: number) =>
      setWanted((prev) => {
        const current = prev.key === key ? prev.pages : [0];
        return current.includes(page) ? (prev.key === key ? prev : { key, pages: current }) : { key, pages: [...current, page] };
      }),
    [key],
  );

  return {
    total: result.total,
    totalEstimated: result.totalEstimated,
    uidValidity: result.uidValidity,
    folder: result.folder,
    search: result.search,
    pages: result.pages,
    error: result.error,
    want,
    retry: result.refetchFailed,
  };
}
