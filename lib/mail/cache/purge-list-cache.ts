import "server-only";
import { purgeStoredSnippets } from "@/lib/mail/snippets/snippet-store";
import { getStore } from "@/lib/store";
import { purgeLogin } from "./cache-budget";

/** Deletes every folder cached for `login`, and the snippets kept outside them (sign-out of its last session; lib/auth). */
export async function purgeListCache(login: string): Promise<void> {
  const store = await getStore();
  await purgeLogin(store, login);
  await purgeStoredSnippets(store, login);
}
