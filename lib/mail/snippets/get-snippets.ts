import "server-only";
import { serverConfig } from "@/lib/env";
import { readCachedSnippets, writeCachedSnippets } from "@/lib/mail/cache/cached-snippets";
import type { MailAccount } from "@/lib/mail/imap/account";
import { readTextSnippets } from "@/lib/mail/imap/fetch-text-snippets";
import { MAX_SNIPPET_UIDS } from "@/lib/mail/types";
import { getStore } from "@/lib/store";
import { readStoredSnippets, writeStoredSnippets } from "./snippet-store";


export interface SnippetRequest {
  folder: string;
  uidValidity: string;
  uids: number[];
}

/**
 * The second line of the rows on screen, for a server that offers no preview of its own. Each
 * snippet is made once (lib/mail/imap/fetch-text-snippets.ts: a partial fetch of the text part)
 * and kept: in the header cache's row when the folder is cached, so the list answers with it from
 * then on, else in the store for an hour (snippet-store.ts). Answers UID → text ("" for a message
 * without text); UIDs no longer in the folder are left out.
 */
export async function getSnippets(account: MailAccount, request: SnippetRequest): Promise<Record<string, string>> {
  const { folder, uidValidity } = request;
  const uids = [...new Set(request.uids)].slice(0, MAX_SNIPPET_UIDS);
  const store = await getStore();
  const limits = serverConfig().listCache;

  const known = limits.maxBytesPerLogin > 0 ? await readCachedSnippets(store, account.login, folder, uidValidity, uids) : new Map<number, string>();
  const notCached = uids.filter((uid) => !known.has(uid));
  for (const [uid, text] of await readStoredSnippets(store, account.login, folder, uidValidity, notCached)) known.set(uid, text);

  const missing = uids.filter((uid) => !known.has(uid));
  if (missing.length > 0) {
    const made = await readTextSnippets(account, folder, uidValidity, missing);
    const inCache = await writeCachedSnippets(store, account.login, folder, uidValidity, made, limits);
    await writeStoredSnippets(store, account.login, folder, uidValidity, new Map([...made].filter(([uid]) => !inCache.has(uid))));
    for (const [uid, text] of made) known.set(uid, text);
  }
  return Object.fromEntries([...known].map(([uid, text]) => [String(uid), text]));
}
