import "server-only";
import type { ImapFlow } from "imapflow";
import { decodeUidRunsUpTo, encodeUidRuns } from "@/lib/mail/cache/uid-runs";
import type { MessageSortKey } from "@/lib/mail/types";
import { atom, runRawCommand, sequence, tokenValue, type RawAttribute } from "./raw-command";

/**
 * UID SORT (RFC 5256), in its ESORT form (RFC 5267) where offered. imapflow has no SORT API, so
 * the command goes through raw-command.ts.
 *
 * Results are always asked for in ascending order and reversed here for "newest first": a
 * descending page is then a range counted from the end, ties stay in arrival order on both sides,
 * and the common answer (dates in arrival order) is one compact range, "1:100000", instead of a
 * hundred thousand numbers.
 */

export type SortableKey = Exclude<MessageSortKey, "arrival">;

export interface SortSupport {
  /** SORT (RFC 5256). */
  sort: boolean;
  /** ESORT (RFC 5267): the answer as ESEARCH with RETURN options, "ALL" as a compact set. */
  esort: boolean;
  /** PARTIAL results of a sort: CONTEXT=SORT (RFC 5267) or PARTIAL (RFC 9394). */
  partial: boolean;
  /** SORT=DISPLAY (RFC 5957): DISPLAYFROM sorts by the name people see, not the mailbox. */
  display: boolean;
}

export function sortSupport(capabilities: Map<string, unknown> | Set<string>): SortSupport {
  const has = (name: string) => capabilities.has(name);
  return {
    sort: has("SORT"),
    esort: has("SORT") && has("ESORT"),
    partial: has("SORT") && has("ESORT") && (has("CONTEXT=SORT") || has("PARTIAL")),
    display: has("SORT=DISPLAY"),
  };
}

function criterion(key: SortableKey, support: SortSupport): string {
  switch (key) {
    case "date":
      // RFC 5256 §3: the Date header, or INTERNALDATE where it is missing or unparsable.
      return "DATE";
    case "from":
      return support.display ? "DISPLAYFROM" : "FROM";
    case "subject":
      return "SUBJECT";
    case "size":
      return "SIZE";
  }
}

/**
 * Expands an ESEARCH/ESORT sequence set in the order it is written (RFC 5267 §4.2: the set of a
 * sort result keeps sort order), e.g. "5,3:4,9:7" → 5,3,4,9,8,7. The server's answer is bounded by
 * `limit` (the folder's message count), so a hostile range cannot exhaust memory.
 */
export function expandOrderedSet(set: string, limit: number): number[] {
  return decodeUidRunsUpTo(set, limit);
}

/** The UIDs of an ESEARCH answer to an ESORT command: its ALL set or its PARTIAL one (RFC 5267/9394). */
export function parseEsortResponse(attributes: RawAttribute[], limit: number): number[] {
  for (let i = 0; i < attributes.length; i++) {
    const name = tokenValue(attributes[i])?.toUpperCase();
    if (name === "ALL") return expandOrderedSet(tokenValue(attributes[i + 1]) ?? "", limit);
    if (name === "PARTIAL") {
      const list = attributes[i + 1];
      // PARTIAL (range set), where set is NIL past the end of the results.
      if (Array.isArray(list)) return expandOrderedSet(tokenValue(list[1]) ?? "", limit);
      return [];
    }
  }
  return [];
}

/** The UIDs of a plain untagged SORT answer ("* SORT 5 3 4"). */
export function parseSortResponse(attributes: RawAttribute[], limit: number): number[] {
  const out: number[] = [];
  for (const token of attributes) {
    if (out.length >= limit) break;
    const n = Number(tokenValue(token));
    if (Number.isSafeInteger(n) && n > 0) out.push(n);
  }
  return out;
}

/**
 * UIDs of the selected folder sorted ascending by `key`, positions `from` to `to` (1-based) of the
 * whole sorted folder, or every one when no range is given. With PARTIAL the server sends only
 * that slice; otherwise it sends the whole order (one compact ALL set with ESORT) and it is cut
 * here. The caller must have checked `sortSupport(...).sort`.
 */
export async function sortUids(
  client: ImapFlow,
  input: { key: SortableKey; range?: { from: number; to: number }; exists: number; uids?: readonly number[] },
): Promise<number[]> {
  const support = sortSupport(client.capabilities);
  const keys = [atom(criterion(input.key, support))];
  // The charset is for string criteria; there are none (ALL, or UID <set>: only some of the folder,
  // in the same relative order as in the whole, since ties sort by sequence number), but RFC 5256
  // requires one.
  const within = input.uids && sequence(encodeUidRuns([...input.uids].sort((a, b) => a - b)));
  const search = [atom("UTF-8"), ...(within ? [atom("UID"), within] : [atom("ALL")])];
  // A server may send one more message than EXISTS said, if one arrived meanwhile.
  const limit = input.exists + 1000;
  let uids: number[] = [];

  if (support.esort) {
    const partial = support.partial && input.range;
    const returns = partial ? [atom("PARTIAL"), atom(`${input.range!.from}:${input.range!.to}`)] : [atom("ALL")];
    await runRawCommand(client, "UID SORT", [atom("RETURN"), returns, keys, ...search], {
      ESEARCH: (response) => {
        uids = parseEsortResponse(response.attributes ?? [], limit);
      },
    });
    if (partial) return uids;
  } else {
    await runRawCommand(client, "UID SORT", [keys, ...search], {
      // A long answer may come as several SORT lines; they add up in order.
      SORT: (response) => {
        uids.push(...(response.numbers ?? parseSortResponse(response.attributes ?? [], limit - uids.length)));
      },
    });
  }
  return input.range ? uids.slice(input.range.from - 1, input.range.to) : uids;
}
