import "server-only";
import { bareContentId } from "./content-id";
import { isKnownTrackingPixelUrl, stripTrackingParameters } from "./tracking";

/**
 * Where a URL appears decides what it may be: `image` is fetched by the browser as soon as the
 * document renders (img src, background attributes), `css` likewise (url() in styles), `font` is
 * a url() inside an @font-face rule, `link` is only followed when the reader clicks.
 */
export type UrlContext = "image" | "css" | "font" | "link";

export interface UrlPolicy {
  allowRemote: boolean;
  /** The app's URL for the part with this bare Content-ID, or null when the message has none. */
  cidUrl: (cid: string) => string | null;
  /**
   * Once remote content is allowed, the URL the body loads a remote image or CSS resource through
   * (the app's image proxy, lib/image-proxy), or null to drop it. Without it the remote URL is kept
   * as it is, which the body's CSP then refuses: the reader always passes one.
   */
  remoteUrl?: (href: string) => string | null;
}

export type UrlVerdict =
  /** Use `url` (normalized, or rewritten for cid:); `cid` is set when it showed an inline part. */
  | { kind: "keep"; url: string; cid?: string }
  /** A remote resource held back until the reader allows remote content. */
  | { kind: "blocked" }
  /** Never allowed in this place. */
  | { kind: "dropped" };

const DROPPED: UrlVerdict = { kind: "dropped" };
const BLOCKED: UrlVerdict = { kind: "blocked" };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const DATA_IMAGE = /^data:image\/[a-z0-9.+-]+[;,]/i;
const DATA_CSS = /^data:(?:image\/[a-z0-9.+-]+|font\/[a-z0-9.+-]+|application\/(?:x-)?font[a-z0-9.+-]*)[;,]/i;

function remote(absolute: string, context: UrlContext, policy: UrlPolicy): UrlVerdict {
  let href: string;
  try {
    href = new URL(absolute).href;
  } catch {
    return DROPPED;
  }
  // Campaign and recipient ids in the query identify the reader, not the page: never kept.
  href = stripTrackingParameters(href);
  if (context === "link") return { kind: "keep", url: href };
  // Remote content means images (issue 13): the image proxy serves nothing else, and a font the
  // server fetched only to refuse would still tell the sender the message was opened. A remote
  // font is never loaded, so it never asks for consent either; the text shows in a local font.
  if (context === "font") return DROPPED;
  if (!policy.allowRemote) return BLOCKED;
  // A known open-tracking endpoint has nothing to show: consent to images is not consent to that.
  if (context === "image" && isKnownTrackingPixelUrl(href)) return DROPPED;
  if (!policy.remoteUrl) return { kind: "keep", url: href };
  const proxied = policy.remoteUrl(href);
  return proxied === null ? DROPPED : { kind: "keep", url: proxied };
}

function decodeCid(rest: string): string {
  try {
    // RFC 2392 §2: the cid URL is the Content-ID with URL-unsafe characters %-encoded.
    return bareContentId(decodeURIComponent(rest));
  } catch {
    return bareContentId(rest);
  }
}

/** What a URL written in a message may become in the sanitized body. */
export function resolveMailUrl(raw: string, context: UrlContext, policy: UrlPolicy): UrlVerdict {
  // The WHATWG URL parser trims C0 controls and spaces and drops tabs and newlines anywhere, which
  // is how "java\tscript:" and "\u0001javascript:" run in browsers; look at the URL the same way.
  const url = raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/[\t\n\r]/g, "");
  if (url === "") return DROPPED;
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    // "//host/x" inherits the frame's scheme; browsers read backslashes as slashes here.
    if (/^[\\/]{2}/.test(url)) return remote(`https:${url}`, context, policy);
    // A fragment stays inside the message. Any other relative URL would resolve against this
    // app's origin and let a message make requests to it with the reader's cookies.
    if (context === "link" && url.startsWith("#")) return { kind: "keep", url };
    return DROPPED;
  }
  switch (scheme) {
    case "http":
    case "https":
      return remote(url, context, policy);
    case "cid": {
      if (context === "link") return DROPPED;
      const cid = decodeCid(url.slice(4));
      const target = cid ? policy.cidUrl(cid) : null;
      return target ? { kind: "keep", url: target, cid } : DROPPED;
    }
    case "data":
      // data: can never reach the network; in an image or CSS context it cannot run script either,
      // while as a link target it could be a whole HTML document.
      if (context === "image" && DATA_IMAGE.test(url)) return { kind: "keep", url };
      if ((context === "css" || context === "font") && DATA_CSS.test(url)) return { kind: "keep", url };
      return DROPPED;
    case "mailto":
    case "tel":
      return context === "link" ? { kind: "keep", url } : DROPPED;
    default:
      return DROPPED;
  }
}
