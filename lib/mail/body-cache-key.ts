import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { serverConfig } from "@/lib/env";

// The body frame's document may be kept in the browser's own HTTP cache (Cache-Control: private,
// never a shared cache), so that a message fetched ahead, or opened again, paints without a request.
// A browser's cache outlives a sign-out and is shared by whoever signs in next on that browser: a
// cached body must only ever be reachable by its own login. So the cacheable URL carries `k`, an
// HMAC of the login under the server's secret: another login cannot name it (it would need the
// secret), and the server answers a cacheable copy only when `k` is the signed-in login's own.
// Without `k` (or with another's), the body is served as before, `no-store`.

let cachedKey: { secret: string; key: Buffer } | undefined;

/** HKDF-SHA256(ikm = AUTH_SECRET, salt = "letterbox", info = "body-cache v1"): a key of its own. */
function signingKey(secret = serverConfig().authSecret): Buffer {
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, "letterbox", "body-cache v1", 32)) };
  }
  return cachedKey.key;
}

// 128 bits: the value only has to be unguessable, not a full-length MAC.
const mac = (login: string, secret?: string) => createHmac("sha256", signingKey(secret)).update(login.toLowerCase()).digest().subarray(0, 16);

/** The `k` of `login`'s cacheable body URLs. */
export function bodyCacheKey(login: string, secret?: string): string {
  return mac(login, secret).toString("base64url");
}

/** True when `k` is `login`'s own (compared in constant time). */
export function isBodyCacheKey(login: string, k: string, secret?: string): boolean {
  const expected = mac(login, secret);
  const given = Buffer.from(k, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
