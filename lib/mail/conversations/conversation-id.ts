import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { serverConfig } from "@/lib/env";

let key: Buffer | null = null;

/**
 * The id the browser knows a conversation by: HMAC-SHA256 of the login and the conversation's root
 * Message-ID under a key derived from AUTH_SECRET. Stable (the same root gives the same id in
 * every folder, on every instance, after a restart) and opaque: it reveals neither the Message-ID
 * nor whether two users share a conversation.
 */
export function conversationId(login: string, root: string): string {
  key ??= Buffer.from(hkdfSync("sha256", serverConfig().authSecret, "letterbox", "conversation ids v1", 32));
  return createHmac("sha256", key).update(`${login.toLowerCase()}\n${root}`).digest("base64url").slice(0, 22);
}
