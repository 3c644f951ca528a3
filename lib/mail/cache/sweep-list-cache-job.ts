import "server-only";
import { liveSessionCount } from "@/lib/auth/credential-store";
import { defineJob } from "@/lib/jobs";
import { getStore } from "@/lib/store";
import { GLOBAL_LRU, purgeLogin, type LruEntry } from "./cache-budget";

/**
 * Sign-out purges a login's cache (lib/auth); a session that simply expires does not sign out.
 * This sweep, by one instance every 15 minutes (lib/jobs), purges the cache of every login that
 * has no live session left, so nothing of a user's mail stays cached long after they are gone.
 */
export async function sweepListCache(): Promise<string[]> {
  const store = await getStore();
  const logins = new Set((await store.records.scan<LruEntry>(GLOBAL_LRU)).map((r) => r.value.login));
  const purged: string[] = [];
  for (const login of logins) {
    if ((await liveSessionCount(login)) > 0) continue;
    await purgeLogin(store, login);
    purged.push(login);
  }
  return purged;
}

export const sweepListCacheJob = defineJob({
  name: "sweep-list-cache",
  everyMs: 15 * 60_000,
  run: async () => {
    const purged = await sweepListCache();
    if (purged.length) console.info(`[letterbox] list cache: purged ${purged.length} login(s) without a session`);
  },
});
