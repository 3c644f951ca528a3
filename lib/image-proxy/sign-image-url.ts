import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { serverConfig } from "@/lib/env";

// A proxied image URL carries an HMAC of the remote URL and the signed-in login, so the proxy
// fetches only what the sanitizer wrote into a message this user opened: it cannot be used as an
// open proxy by anyone else, nor by this user for arbitrary URLs, and a link made for one login is
// refused for another.

let cachedKey: { secret: string; key: Buffer } | undefined;

/** HKDF-SHA256(ikm = AUTH_SECRET, salt = "letterbox", info = "image-proxy v1"): its own key, not the session's. */
function signingKey(secret = serverConfig().authSecret): Buffer {
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, "letterbox", "image-proxy v1", 32)) };
  }
  return cachedKey.key;
}

function mac(login: string, url: string, secret?: string): Buffer {
  // The login is lower-cased and NUL-separated from the URL: neither can contain NUL, so no pair of
  // (login, url) values signs the same bytes as another.
  return createHmac("sha256", signingKey(secret)).update(`${login.toLowerCase()}\0${url}`).digest();
}

/** The app's URL that shows the remote image `url` to `login`. */
export function signImageUrl(login: string, url: string, secret?: string): string {
  const sig = mac(login, url, secret).toString("base64url");
  return `/api/proxy?${new URLSearchParams({ url, sig })}`;
}

/** True when `sig` is this server's signature of `url` for `login` (compared in constant time). */
export function verifyImageUrl(login: string, url: string, sig: string, secret?: string): boolean {
  const expected = mac(login, url, secret);
  let given: Buffer;
  try {
    given = Buffer.from(sig, "base64url");
  } catch {
    return false;
  }
  return given.length === expected.length && timingSafeEqual(given, expected);
}
