import "server-only";
import sanitizeHtml from "sanitize-html";
import { serializeCssString } from "./css-tokens";
import { filterCss } from "./filter-css";
import { resolveMailUrl, type UrlContext, type UrlPolicy } from "./resolve-mail-url";
import { isDeclaredTrackingPixel } from "./tracking";

export interface SanitizeMailHtmlOptions {
  /** Let the body load images, backgrounds and fonts from the network. */
  allowRemote: boolean;
  /** The app's URL for the inline part with this bare Content-ID, or null when there is none. */
  cidUrl: (cid: string) => string | null;
  /** With remote content allowed, the app's URL (image proxy) for a remote image; see UrlPolicy. */
  remoteUrl?: (href: string) => string | null;
}

export interface SanitizedMailHtml {
  html: string;
  /** Something remote was held back that `allowRemote: true` would show. */
  remoteContentBlocked: boolean;
  /** Bare Content-IDs the body displays, for finalizeAttachments. */
  usedCids: Set<string>;
}

/** Marks an image whose remote source was removed, so the frame can draw a placeholder. */
export const BLOCKED_ATTRIBUTE = "data-letterbox-blocked";

// What newsletters and mail clients use for layout and text. Everything else is dropped, its text
// kept: no script, frames, plug-ins, forms, base/meta/link, SVG or MathML, media elements.
const ALLOWED_TAGS = [
  "a abbr acronym address article aside b bdi bdo big blockquote br caption center cite code col",
  "colgroup dd del details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 header",
  "hr i img ins kbd li main mark nav ol p pre q rp rt ruby s samp section small span strike strong",
  "style sub summary sup table tbody td tfoot th thead time tr tt u ul var wbr",
].flatMap((line) => line.split(" "));

const ALLOWED_TAG_SET = new Set(ALLOWED_TAGS);

const TABLE_CELL = ["colspan", "rowspan", "nowrap", "background", "headers", "scope", "abbr", "axis"];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  "*": [
    "class",
    "id",
    "style",
    "title",
    "dir",
    "lang",
    "align",
    "valign",
    "width",
    "height",
    "bgcolor",
    BLOCKED_ATTRIBUTE,
  ],
  a: ["href", "name", "target", "rel"],
  img: ["src", "srcset", "sizes", "alt", "border", "hspace", "vspace"],
  font: ["color", "face", "size"],
  table: ["border", "cellpadding", "cellspacing", "background", "frame", "rules", "summary"],
  td: TABLE_CELL,
  th: TABLE_CELL,
  tr: ["background"],
  col: ["span"],
  colgroup: ["span"],
  ol: ["start", "type", "reversed"],
  ul: ["type"],
  li: ["value", "type"],
  hr: ["size", "noshade", "color"],
  blockquote: ["type"],
  time: ["datetime"],
  del: ["datetime"],
  ins: ["datetime"],
  details: ["open"],
  style: ["media"],
};

// Elements whose text must not leak into the page when the element itself is dropped: code,
// the document title, form option labels, inert templates, Office XML islands, vector graphics,
// frames and plug-ins (whose fallback content no mail needs).
const NON_TEXT_TAGS = [
  "script",
  "style",
  "textarea",
  "option",
  "title",
  "template",
  "xml",
  "svg",
  "math",
  "noembed",
  "noframes",
  "iframe",
  "object",
  "applet",
];

// Legacy attributes that load an image: `background` on tables and cells (body's is moved into CSS).
const BACKGROUND_TAGS = new Set(["table", "td", "th", "tr"]);

const COLOR = /^#?[a-z0-9]{1,20}$/i;

interface Session {
  policy: UrlPolicy;
  usedCids: Set<string>;
  blocked: boolean;
  styles: string[];
}

function resolve(session: Session, raw: string, context: UrlContext): string | null {
  const verdict = resolveMailUrl(raw, context, session.policy);
  if (verdict.kind === "blocked") {
    session.blocked = true;
    return null;
  }
  if (verdict.kind === "dropped") return null;
  if (verdict.cid !== undefined) session.usedCids.add(verdict.cid);
  return verdict.url;
}

function cleanCss(session: Session, css: string): string {
  return filterCss(css, (url, inFontFace) => resolve(session, url, inFontFace ? "font" : "css"));
}

/** srcset candidates per HTML §4.8.4.3.10: a URL, then descriptors up to the next comma. */
function srcsetCandidates(value: string): { url: string; descriptors: string }[] {
  const candidates: { url: string; descriptors: string }[] = [];
  let pos = 0;
  while (pos < value.length) {
    while (pos < value.length && /[\s,]/.test(value.charAt(pos))) pos++;
    if (pos >= value.length) break;
    const urlStart = pos;
    while (pos < value.length && !/\s/.test(value.charAt(pos))) pos++;
    let url = value.slice(urlStart, pos);
    let descriptors = "";
    if (url.endsWith(",")) {
      url = url.replace(/,+$/, "");
    } else {
      const descriptorStart = pos;
      let depth = 0;
      while (pos < value.length) {
        const ch = value.charAt(pos);
        if (ch === "(") depth++;
        else if (ch === ")") depth = Math.max(0, depth - 1);
        else if (ch === "," && depth === 0) break;
        pos++;
      }
      descriptors = value.slice(descriptorStart, pos).trim();
      pos++;
    }
    if (url) candidates.push({ url, descriptors });
  }
  return candidates;
}

function cleanSrcset(session: Session, value: string): string {
  return srcsetCandidates(value)
    .map(({ url, descriptors }) => {
      const resolved = resolve(session, url, "image");
      // A URL ending in "," would be read back as a shorter URL; such candidates are left out.
      if (resolved === null || resolved.endsWith(",")) return null;
      // Only width/density descriptors: anything else would be written into the attribute verbatim.
      return /^(?:\d+w|\d+(?:\.\d+)?x)$/.test(descriptors) ? `${resolved} ${descriptors}` : resolved;
    })
    .filter((candidate): candidate is string => candidate !== null)
    .join(", ");
}

/** <body> becomes a <div>; its bgcolor, text colour and background image move into its style. */
function bodyStyle(attribs: sanitizeHtml.Attributes): string {
  const declarations: string[] = [];
  const bgcolor = attribs.bgcolor?.trim();
  if (bgcolor && COLOR.test(bgcolor)) declarations.push(`background-color:${bgcolor}`);
  const text = attribs.text?.trim();
  if (text && COLOR.test(text)) declarations.push(`color:${text}`);
  const background = attribs.background?.trim();
  if (background) declarations.push(`background-image:url(${serializeCssString(background)})`);
  if (attribs.style) declarations.push(attribs.style);
  return declarations.join(";");
}

/** An image's declared width and height: its attributes, or its inline style's, which win in CSS. */
function declaredSize(attribs: sanitizeHtml.Attributes): [string | undefined, string | undefined] {
  const fromStyle = (property: string) => new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*([^;!]+)`, "i").exec(attribs.style ?? "")?.[1];
  return [fromStyle("width") ?? attribs.width, fromStyle("height") ?? attribs.height];
}

function transform(session: Session, tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  // A dropped element's attributes are never written, so their URLs must neither count as shown
  // (that would hide an inline part from the attachment list) nor as blocked.
  if (tagName !== "body" && !ALLOWED_TAG_SET.has(tagName)) return { tagName, attribs: {} };
  const out: sanitizeHtml.Attributes = {};
  for (const [name, value] of Object.entries(attribs)) {
    if (name === "style" || name === "href" || name === "src" || name === "srcset" || name === "background")
      continue;
    if (name === "target" || name === "rel" || name === BLOCKED_ATTRIBUTE) continue;
    out[name] = value;
  }
  let name = tagName;
  let style = attribs.style;
  if (tagName === "body") {
    name = "div";
    style = bodyStyle(attribs);
    delete out.bgcolor;
    delete out.text;
  }
  if (style !== undefined) {
    const css = cleanCss(session, style);
    if (css) out.style = css;
  }

  if (tagName === "a" && attribs.href !== undefined) {
    const href = resolve(session, attribs.href, "link");
    if (href !== null) {
      out.href = href;
      if (!href.startsWith("#")) {
        out.target = "_blank";
        out.rel = "noopener noreferrer";
      }
    }
  }

  if (tagName === "img") {
    const blockedBefore = session.blocked;
    session.blocked = false;
    // An image declared 1×1 is a tracking pixel, not something to look at: with remote content
    // allowed it is still not fetched (held back as before, without it).
    const pixel = session.policy.allowRemote && isDeclaredTrackingPixel(...declaredSize(attribs));
    if (pixel) {
      // Nothing: neither src nor srcset is written.
    } else if (attribs.src !== undefined) {
      const src = resolve(session, attribs.src, "image");
      if (src !== null) out.src = src;
    }
    if (!pixel && attribs.srcset !== undefined) {
      const srcset = cleanSrcset(session, attribs.srcset);
      if (srcset) out.srcset = srcset;
    }
    // The placeholder is for an image left with nothing to show, not one still shown from a cid: candidate.
    if (session.blocked && out.src === undefined && out.srcset === undefined) out[BLOCKED_ATTRIBUTE] = "1";
    session.blocked ||= blockedBefore;
  }

  if (BACKGROUND_TAGS.has(tagName) && attribs.background !== undefined) {
    const background = resolve(session, attribs.background, "image");
    if (background !== null) out.background = background;
  }

  return { tagName: name, attribs: out };
}

function sanitizeOptions(session: Session): sanitizeHtml.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    // A second line behind transform(): whatever reaches these attributes must still be one of these.
    allowedSchemes: ["http", "https", "mailto", "tel"],
    allowedSchemesByTag: Object.fromEntries(
      ["img", "srcset", ...BACKGROUND_TAGS].map((tag) => [tag, ["http", "https", "data"]]),
    ),
    allowedSchemesAppliedToAttributes: ["href", "src", "background"],
    allowProtocolRelative: false,
    allowVulnerableTags: true,
    disallowedTagsMode: "discard",
    nonTextTags: NON_TEXT_TAGS,
    // Style attributes are filtered by filterCss in transform(); postcss would re-read them with
    // its own idea of CSS.
    parseStyleAttributes: false,
    transformTags: { "*": (tagName, attribs) => transform(session, tagName, attribs) },
    exclusiveFilter: (frame) => {
      if (frame.tag !== "style") return false;
      // <style> is raw text that sanitize-html would copy verbatim: take it out here, filter it,
      // and put it back at the top of the body (the cascade does not care where a sheet sits).
      const media = frame.attribs.media?.trim();
      const css = cleanCss(session, media ? `@media ${media}{${frame.text}}` : frame.text);
      if (css) session.styles.push(css);
      return true;
    },
  };
}

function plainTextFallback(html: string): string {
  try {
    return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {}, nonTextTags: NON_TEXT_TAGS });
  } catch {
    return "";
  }
}

/**
 * Makes a message's HTML safe to show in the reader's sandboxed frame: an allow-list of tags and
 * attributes, links that open outside, `cid:` images pointed at the app, and — unless remote
 * content is allowed — no URL that would make the browser contact anyone when the message opens
 * (tracking pixels, remote backgrounds, fonts, style sheets). Never throws.
 */
export function sanitizeMailHtml(html: string, opts: SanitizeMailHtmlOptions): SanitizedMailHtml {
  const session: Session = {
    policy: { allowRemote: opts.allowRemote, cidUrl: opts.cidUrl, remoteUrl: opts.remoteUrl },
    usedCids: new Set(),
    blocked: false,
    styles: [],
  };
  const source = typeof html === "string" ? html : "";
  let body: string;
  try {
    body = sanitizeHtml(source, sanitizeOptions(session));
  } catch {
    session.styles = [];
    session.usedCids.clear();
    body = plainTextFallback(source);
  }
  const styles = session.styles.map((css) => `<style>${css}</style>`).join("");
  return { html: styles + body, remoteContentBlocked: session.blocked, usedCids: session.usedCids };
}
