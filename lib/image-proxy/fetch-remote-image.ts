import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { AppError, isAppError } from "@/lib/errors";
import { stripTrackingParameters } from "@/lib/mail/mime/tracking";
import { isAllowlistedHost, isPublicAddress } from "./address-policy";
import { imageDimensions, sniffImageType, type ImageType } from "./image-type";

export interface FetchRemoteImageOptions {
  /** Largest image served, in bytes (Content-Length and the bytes actually read). */
  maxBytes?: number;
  /** The whole fetch, redirects included, must end within this time. */
  timeoutMs?: number;
  maxRedirects?: number;
  /** Test-only hosts exempt from the address check (lib/env.ts: LETTERBOX_PROXY_ALLOW_HOSTS). */
  allowHosts?: readonly string[];
  /** The browser's request: when it goes away, so does the fetch. */
  signal?: AbortSignal;
}

export interface RemoteImage {
  type: ImageType;
  bytes: Buffer;
  /** At most 1×1 pixel: a tracking pixel, not something to look at. */
  trackingPixel: boolean;
}

const DEFAULTS = { maxBytes: 5 * 1024 * 1024, timeoutMs: 10_000, maxRedirects: 4 };

const REFUSED_ADDRESS = "LETTERBOX_ADDRESS_REFUSED";

/**
 * DNS resolution that refuses private, loopback, link-local, multicast and reserved addresses.
 * It runs inside the connection attempt, so the address checked is the address connected to:
 * a host name whose DNS answer changes between a check and the connection (DNS rebinding) cannot
 * slip through.
 */
function guardedLookup(allowAny: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      if (!allowAny && (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address)))) {
        return callback(Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: REFUSED_ADDRESS }), "", 0);
      }
      // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one.
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

function get(url: URL, allowAny: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "GET",
      // No cookie, no Referer, no client address: the sender learns only that a Letterbox server
      // asked. identity: a compressed body could expand past maxBytes before it was counted.
      headers: {
        Accept: "image/avif,image/webp,image/png,image/gif,image/jpeg;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "identity",
        "User-Agent": "Letterbox-ImageProxy/1",
      },
      lookup: guardedLookup(allowAny),
      // A fresh socket per hop: a kept-alive one would skip the lookup above.
      agent: false,
      signal,
    });
    request.once("response", resolve);
    request.once("error", reject);
    request.end();
  });
}

async function readLimited(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      response.destroy();
      throw new AppError("IMAGE_UNAVAILABLE", "The image is larger than Letterbox shows.");
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function checkTarget(url: URL, allowHosts: readonly string[]): boolean {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AppError("IMAGE_REFUSED");
  // user:password@host would send credentials the sender chose, to a host the sender chose.
  if (url.username || url.password) throw new AppError("IMAGE_REFUSED");
  const allowAny = isAllowlistedHost(url, allowHosts);
  // An IP literal never goes through DNS, so the lookup guard would not see it: check it here.
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowAny && isIP(host) !== 0 && !isPublicAddress(host)) throw new AppError("IMAGE_REFUSED");
  return allowAny;
}

/**
 * Fetches a remote image for the image proxy: http(s) only, each redirect hop checked again, no
 * address outside the public internet, at most `maxBytes` within `timeoutMs`, and only bytes that
 * are an image (by magic bytes, whatever the Content-Type says). Throws AppError IMAGE_REFUSED or
 * IMAGE_UNAVAILABLE.
 */
export async function fetchRemoteImage(rawUrl: string, options: FetchRemoteImageOptions = {}): Promise<RemoteImage> {
  const { maxBytes, timeoutMs, maxRedirects } = { ...DEFAULTS, ...options };
  const allowHosts = options.allowHosts ?? [];
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;

  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new AppError("IMAGE_REFUSED");
  }
  for (let hop = 0; ; hop++) {
    const allowAny = checkTarget(url, allowHosts);
    let response: IncomingMessage;
    try {
      response = await get(url, allowAny, signal);
    } catch (error) {
      if ((error as { code?: string }).code === REFUSED_ADDRESS) throw new AppError("IMAGE_REFUSED");
      if (deadline.aborted) throw new AppError("IMAGE_UNAVAILABLE", "The image's server did not answer in time.");
      throw new AppError("IMAGE_UNAVAILABLE");
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.destroy();
      if (hop >= maxRedirects) throw new AppError("IMAGE_UNAVAILABLE", "The image's server redirected too many times.");
      try {
        url = new URL(stripTrackingParameters(new URL(location, url).href));
      } catch {
        throw new AppError("IMAGE_REFUSED");
      }
      continue;
    }
    try {
      if (status !== 200) throw new AppError("IMAGE_UNAVAILABLE");
      const declared = (response.headers["content-type"] ?? "").toLowerCase();
      if (!declared.startsWith("image/") || declared.includes("svg")) throw new AppError("IMAGE_REFUSED", "That address does not serve an image.");
      const length = Number(response.headers["content-length"] ?? 0);
      if (length > maxBytes) throw new AppError("IMAGE_UNAVAILABLE", "The image is larger than Letterbox shows.");
      let bytes: Buffer;
      try {
        bytes = await readLimited(response, maxBytes);
      } catch (error) {
        if (isAppError(error)) throw error;
        if (deadline.aborted) throw new AppError("IMAGE_UNAVAILABLE", "The image's server did not answer in time.");
        throw new AppError("IMAGE_UNAVAILABLE");
      }
      const type = sniffImageType(bytes);
      if (!type) throw new AppError("IMAGE_REFUSED", "That address does not serve an image.");
      const size = imageDimensions(bytes, type);
      return { type, bytes, trackingPixel: size !== null && size.width <= 1 && size.height <= 1 };
    } finally {
      response.destroy();
    }
  }
}
