import "server-only";
import { getStore } from "@/lib/store";
import { purgeLogin } from "./cache-budget";

/** Deletes every folder cached for `login` (sign-out of its last session; lib/auth). */
export async function purgeListCache(login: string): Promise<void> {
  await purgeLogin(await getStore(), login);
}
