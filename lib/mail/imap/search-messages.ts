import "server-only";
import type { ImapFlow } from "imapflow";
import { serverConfig } from "@/lib/env";
import { planBody } from "@/lib/mail/mime";
import { AppError, isAppError } from "@/lib/errors";
import { parseSearchQuery, SearchQueryError, type ParsedQuery } from "@/lib/mail/search/parse-query";
import type { Folder, FolderUids, MessageSummary, SearchPage, SearchUids } from "@/lib/mail/types";
import type { MailAccount } from "./account";
import { fetchPreviews } from "./fetch-previews";
import { listFolders } from "./list-folders";
import { fetchHeaders, summarize } from "./list-messages";
import { toMimeNode } from "./to-domain";
import { withMailbox } from "./pool";
import { atom, runRawCommand, type RawAttribute } from "./raw-command";
import { needsUtf8, searchPlan, type SearchPlan } from "./search-keys";
import { parseEsortResponse, parseSortResponse, sortSupport } from "./sort-uids";
import { fetchRows } from "./fetch-rows";

/**
 * Search, done by the server: UID SORT (RFC 5256) by date with the search keys, in its ESORT form
 * (RFC 5267) where offered, so the answer is every match already in date order and compact; a
 * server without SORT gets UID SEARCH (ESEARCH RETURN (ALL), RFC 4731, where offered) in arrival
 * order. Then, as for a folder, only the page's UIDs are fetched, header-first. Nothing is
 * downloaded to be searched here; how fast a body search is depends on the server's full-text
 * index (Dovecot's fts), which IMAP does not announce: the browser says a search "may take a while"
 * when the answer is slow, rather than guess.
 */

/**
 * A search the server did not finish within MAIL_IMAP_SEARCH_TIMEOUT_MS (SEARCH_TIMEOUT, naming the
 * bound) gets what to do about it: the server's full-text index answers a rarer word, or a sender,
 * subject or date, far faster than a word of nearly every message.
 */
async function explainingTimeout<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isAppError(error) && error.code === "SEARCH_TIMEOUT") {
      throw new AppError("SEARCH_TIMEOUT", `${error.message} Narrow the search (a rarer word, from:, subject:, after:) and try again.`, { cause: error });
    }
    throw error;
  }
}

export function parseQueryOrThrow(query: string): ParsedQuery {
  try {
    return parseSearchQuery(query);
  } catch (error) {
    if (error instanceof SearchQueryError) throw new AppError("SEARCH_INVALID", error.message);
    throw error;
  }
}

async function searchUnordered(client: ImapFlow, keys: RawAttribute[], limit: number): Promise<number[]> {
  // CHARSET only when a term is not ASCII: a few old servers refuse the CHARSET clause itself.
  const charset = needsUtf8(keys) ? [atom("CHARSET"), atom("UTF-8")] : [];
  let uids: number[] = [];
  if (client.capabilities.has("ESEARCH")) {
    await runRawCommand(client, "UID SEARCH", [atom("RETURN"), [atom("ALL")], ...charset, ...keys], {
      ESEARCH: (response) => {
        uids = parseEsortResponse(response.attributes ?? [], limit);
      },
    });
  } else {
    await runRawCommand(client, "UID SEARCH", [...charset, ...keys], {
      SEARCH: (response) => {
        uids.push(...(response.numbers ?? parseSortResponse(response.attributes ?? [], limit - uids.length)));
      },
    });
  }
  return uids;
}

const STRUCTURE_BATCH = 2000;

/** Keeps the UIDs whose structure has (or, with `wanted` false, lacks) a non-inline attachment. */
async function filterByAttachment(client: ImapFlow, uids: number[], wanted: boolean): Promise<number[]> {
  const has = new Set<number>();
  for (let i = 0; i < uids.length; i += STRUCTURE_BATCH) {
    const batch = uids.slice(i, i + STRUCTURE_BATCH);
    for (const m of await fetchRows(client, batch.join(","), { uid: true, bodyStructure: true }, { uid: true })) {
      if (m.bodyStructure && planBody(toMimeNode(m.bodyStructure)).attachments.some((a) => !a.inline)) has.add(m.uid);
    }
  }
  return uids.filter((uid) => has.has(uid) === wanted);
}

/** The matching UIDs of the selected folder, newest first; `sorted` false means arrival order. */
export async function matchingUids(client: ImapFlow, plan: SearchPlan, exists: number): Promise<{ uids: number[]; sorted: boolean }> {
  const support = sortSupport(client.capabilities);
  if (exists === 0) return { uids: [], sorted: support.sort };
  // A server may count a message or two more than EXISTS said, if mail arrived meanwhile.
  const limit = exists + 1000;
  let uids: number[] = [];
  if (support.sort) {
    // SORT always names a charset (RFC 5256 §3); UTF-8 covers any term.
    if (support.esort) {
      await runRawCommand(client, "UID SORT", [atom("RETURN"), [atom("ALL")], [atom("DATE")], atom("UTF-8"), ...plan.match], {
        ESEARCH: (response) => {
          uids = parseEsortResponse(response.attributes ?? [], limit);
        },
      });
    } else {
      await runRawCommand(client, "UID SORT", [[atom("DATE")], atom("UTF-8"), ...plan.match], {
        SORT: (response) => {
          uids.push(...(response.numbers ?? parseSortResponse(response.attributes ?? [], limit - uids.length)));
        },
      });
    }
    // Asked ascending (ties in arrival order on both sides, see sort-uids.ts), shown newest first.
    uids.reverse();
  } else {
    uids = [...new Set(await searchUnordered(client, plan.match, limit))].sort((a, b) => b - a);
  }
  if (uids.length && plan.exclude.length) {
    const excluded = new Set<number>();
    for (const keys of plan.exclude) for (const uid of await searchUnordered(client, keys, limit)) excluded.add(uid);
    uids = uids.filter((uid) => !excluded.has(uid));
  }
  if (uids.length && plan.attachment !== null) uids = await filterByAttachment(client, uids, plan.attachment);
  return { uids, sorted: support.sort };
}

/** Rows for `uids` (in that order) of the selected folder, labelled with the folder. */
async function rowsOf(client: ImapFlow, uids: number[], folder: string, uidValidity: string): Promise<MessageSummary[]> {
  if (uids.length === 0) return [];
  const byUid = new Map((await fetchHeaders(client, uids.join(","), true)).map((m) => [m.uid, m]));
  // A message expunged between SEARCH and FETCH is simply missing from the page.
  const ordered = uids.flatMap((uid) => byUid.get(uid) ?? []);
  const previews = await fetchPreviews(
    client,
    ordered.map((m) => m.uid),
  );
  return ordered.map((m) => ({ ...summarize(m, previews), folder, uidValidity }));
}

/**
 * The folder `in:name` means: the exact path, else a path or a last segment equal to it ignoring
 * case ("inbox", "projects/2024", "2024"). Several folders with that last segment: ask for the path.
 */
export function resolveFolderName(folders: readonly Folder[], name: string): Folder {
  const selectable = folders.filter((f) => f.selectable);
  const exact = selectable.find((f) => f.path === name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const byPath = selectable.filter((f) => f.path.toLowerCase() === lower);
  if (byPath.length === 1) return byPath[0]!;
  const byName = selectable.filter((f) => f.name.toLowerCase() === lower);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new AppError("SEARCH_INVALID", `Several folders are called “${name}”: write its path, e.g. in:${byName[0]!.path}.`);
  }
  throw new AppError("SEARCH_INVALID", `There is no folder called “${name}”. Check the name after in:, or use in:anywhere.`);
}

type Target = { kind: "folder"; folder: string } | { kind: "anywhere"; folders: string[] };

async function targetOf(account: MailAccount, parsed: ParsedQuery, current: string): Promise<Target> {
  if (parsed.scope.kind === "current") return { kind: "folder", folder: current };
  const folders = await listFolders(account, { includeUnsubscribed: true });
  if (parsed.scope.kind === "folder") return { kind: "folder", folder: resolveFolderName(folders, parsed.scope.name).path };
  return { kind: "anywhere", folders: folders.filter((f) => f.selectable).map((f) => f.path) };
}

/**
 * Runs `work` over `items` with at most `limit` running at once: in:anywhere opens no more
 * connections than the per-session cap of the pool allows (MAIL_IMAP_MAX_CONNECTIONS), so a search
 * across forty folders never spends the user's whole connection budget with the server.
 */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runner = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  return results;
}

type FolderOutcome<R> = { folder: string; ok: true; value: R } | { folder: string; ok: false; error: unknown };

/** Each folder searched on its own connection slot; a folder that fails does not sink the others. */
async function acrossFolders<R>(
  account: MailAccount,
  folders: string[],
  work: (client: ImapFlow, ctx: { folder: string; exists: number; uidValidity: string }) => Promise<R>,
  signal?: AbortSignal,
): Promise<FolderOutcome<R>[]> {
  const outcomes = await mapBounded(folders, serverConfig().imapMaxConnectionsPerAccount, (folder) =>
    withMailbox(account, folder, ({ client, mailbox, uidValidity }) => work(client, { folder, exists: mailbox.exists, uidValidity }), { signal }).then(
      (value): FolderOutcome<R> => ({ folder, ok: true, value }),
      (error: unknown): FolderOutcome<R> => ({ folder, ok: false, error }),
    ),
  );
  // The browser went away: nothing to report to anyone.
  if (signal?.aborted) throw new AppError("REQUEST_CANCELLED");
  // Every folder failed: that is the server's problem, reported as such (unreachable, refused…).
  const failed = outcomes.filter((o) => !o.ok);
  if (outcomes.length > 0 && failed.length === outcomes.length) {
    throw (failed[0] as { error: unknown }).error;
  }
  return outcomes;
}

/** Newest first across folders; equal dates keep a stable order (folder, then newer UID first). */
function byDateDesc(a: MessageSummary, b: MessageSummary): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  if (a.folder !== b.folder) return (a.folder ?? "") < (b.folder ?? "") ? -1 : 1;
  return b.uid - a.uid;
}

/**
 * One page of results for `query`, run in `folder` unless the query says `in:`. in:anywhere
 * searches every selectable folder (a bounded number at once), takes each folder's newest
 * (page + 1) × pageSize matches, and merges them newest first: the page is exact, and its cost
 * grows with the page number only by header fetches of a few rows per folder.
 */
export async function searchMessages(
  account: MailAccount,
  input: { query: string; folder: string; page: number; pageSize: number },
  signal?: AbortSignal,
): Promise<SearchPage> {
  const parsed = parseQueryOrThrow(input.query);
  const plan = searchPlan(parsed.terms);
  const target = await targetOf(account, parsed, input.folder);
  const start = input.page * input.pageSize;
  const base = { query: input.query, page: input.page, pageSize: input.pageSize, order: "desc" as const };

  if (target.kind === "folder") {
    return explainingTimeout(withMailbox(account, target.folder, async ({ client, mailbox, uidValidity }) => {
      const { uids, sorted } = await matchingUids(client, plan, mailbox.exists);
      const messages = await rowsOf(client, uids.slice(start, start + input.pageSize), target.folder, uidValidity);
      return {
        ...base,
        folder: target.folder,
        uidValidity,
        total: uids.length,
        sort: sorted ? "date" : "arrival",
        scope: "folder",
        failedFolders: [],
        messages,
      };
    }, { signal }));
  }

  const wanted = start + input.pageSize;
  const outcomes = await explainingTimeout(acrossFolders(account, target.folders, async (client, { folder, exists, uidValidity }) => {
    const { uids, sorted } = await matchingUids(client, plan, exists);
    // Without SORT a folder's "newest" are its last arrivals; the merge below still orders by date.
    return { total: uids.length, sorted, rows: await rowsOf(client, uids.slice(0, wanted), folder, uidValidity) };
  }, signal));
  const answered = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
  const merged = answered.flatMap((a) => a.rows).sort(byDateDesc);
  return {
    ...base,
    folder: "",
    uidValidity: "",
    total: answered.reduce((n, a) => n + a.total, 0),
    sort: answered.every((a) => a.sorted) ? "date" : "arrival",
    scope: "anywhere",
    failedFolders: outcomes.filter((o) => !o.ok).map((o) => o.folder),
    messages: merged.slice(start, start + input.pageSize),
  };
}

/** Every result of `query`, newest first, per folder: what "select all" acts on. */
export async function searchMessageUids(account: MailAccount, input: { query: string; folder: string }, signal?: AbortSignal): Promise<SearchUids> {
  const parsed = parseQueryOrThrow(input.query);
  const plan = searchPlan(parsed.terms);
  const target = await targetOf(account, parsed, input.folder);
  const folders = target.kind === "folder" ? [target.folder] : target.folders;
  const outcomes = await explainingTimeout(
    acrossFolders(account, folders, async (client, { folder, exists, uidValidity }): Promise<FolderUids> => {
      const { uids } = await matchingUids(client, plan, exists);
      return { folder, uidValidity, uids };
    }, signal),
  );
  if (target.kind === "folder") {
    const only = outcomes[0];
    if (only && !only.ok) await explainingTimeout(Promise.reject(only.error));
  }
  return { groups: outcomes.flatMap((o) => (o.ok && o.value.uids.length > 0 ? [o.value] : [])) };
}
