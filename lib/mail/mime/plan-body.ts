import "server-only";
import type { Attachment } from "@/lib/mail/types";
import { cleanFilename, fallbackFilename } from "./attachment-filename";
import { bareContentId } from "./content-id";
import type { MimeNode } from "./mime-node";

export interface InlinePart {
  partId: string;
  contentType: string;
}

export interface BodyPlan {
  /** The part to show as HTML, or null when the message has none. */
  htmlPart: string | null;
  /** The plain-text body: the fallback when there is no HTML, or its plain alternative. */
  textPart: string | null;
  /** Parts the HTML body may show through `cid:` URLs, keyed by bare Content-ID (no angle brackets). */
  inlineByCid: Map<string, InlinePart>;
  /**
   * Every part that is neither the body nor a container. Inline candidates carry `inline: true`
   * until finalizeAttachments learns which of them the body really showed.
   */
  attachments: Attachment[];
}

// Real mail nests a handful of levels; a crafted BODYSTRUCTURE can nest thousands, and each level
// would be a stack frame here. Deeper parts are left out of the plan rather than crash the reader.
const MAX_DEPTH = 50;

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
const PART_ID = /^[1-9][0-9]*(?:\.[1-9][0-9]*)*$/;
const CHARSET = /^[A-Za-z0-9._:+-]{1,40}$/;

interface PlanNode {
  partId: string;
  type: string;
  source: MimeNode;
  children: PlanNode[];
}

interface BodyChoice {
  html: PlanNode | null;
  text: PlanNode | null;
}

function param(record: Record<string, string> | undefined, name: string): string | null {
  if (!record || typeof record !== "object") return null;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === name && typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return null;
}

function mediaType(node: MimeNode): string {
  const type = typeof node.type === "string" ? node.type.trim().toLowerCase() : "";
  // RFC 2045 §5.2: a missing or syntactically invalid Content-Type is taken as text/plain.
  return MEDIA_TYPE.test(type) ? type : "text/plain";
}

function isMultipart(node: PlanNode): boolean {
  return node.type.startsWith("multipart/");
}

function isEmbeddedMessage(type: string): boolean {
  // RFC 6532 §3.7 message/global is message/rfc822 with UTF-8 headers.
  return type === "message/rfc822" || type === "message/global";
}

function buildTree(node: MimeNode, partId: string, depth: number): PlanNode {
  const type = mediaType(node);
  const children: PlanNode[] = [];
  // Only multiparts are descended: for message/rfc822 imapflow lists the embedded message's own
  // structure as children, and that message is shown as one attachment, not merged into this one.
  if (type.startsWith("multipart/") && depth < MAX_DEPTH && Array.isArray(node.childNodes)) {
    node.childNodes.forEach((child, index) => {
      if (!child || typeof child !== "object") return;
      const ordinal = String(index + 1);
      const derived = partId ? `${partId}.${ordinal}` : ordinal;
      const id = typeof child.part === "string" && PART_ID.test(child.part) ? child.part : derived;
      children.push(buildTree(child, id, depth + 1));
    });
  }
  return { partId, type, source: node, children };
}

function rootPartId(root: MimeNode): string {
  if (typeof root.part === "string" && PART_ID.test(root.part)) return root.part;
  // RFC 3501 §6.4.5: a multipart root has no part number, a single-part message's body is part 1.
  return mediaType(root).startsWith("multipart/") ? "" : "1";
}

function isAttachmentDisposition(node: PlanNode): boolean {
  return (
    typeof node.source.disposition === "string" && node.source.disposition.toLowerCase() === "attachment"
  );
}

function contentId(node: PlanNode): string {
  return typeof node.source.id === "string" ? bareContentId(node.source.id) : "";
}

function relatedRoot(node: PlanNode): PlanNode | null {
  // RFC 2387 §3.2: the `start` parameter names the root by Content-ID; without it the root is the first part.
  const start = param(node.source.parameters, "start");
  if (start) {
    const wanted = bareContentId(start);
    const match = node.children.find((child) => contentId(child) === wanted);
    if (match) return match;
  }
  return node.children[0] ?? null;
}

function findBody(node: PlanNode): BodyChoice | null {
  if (!isMultipart(node)) {
    if (isAttachmentDisposition(node)) return null;
    if (node.type === "text/html") return { html: node, text: null };
    if (node.type === "text/plain") return { html: null, text: node };
    return null;
  }
  if (node.type === "multipart/alternative") {
    // RFC 2046 §5.1.4: alternatives are in increasing order of preference, so the last one we can
    // show wins; HTML is preferred over plain text whatever the order.
    let html: PlanNode | null = null;
    let text: PlanNode | null = null;
    for (const child of node.children) {
      const choice = findBody(child);
      if (choice?.html) html = choice.html;
      if (choice?.text) text = choice.text;
    }
    return html || text ? { html, text } : null;
  }
  if (node.type === "multipart/related") {
    const root = relatedRoot(node);
    return root ? findBody(root) : null;
  }
  // multipart/mixed, and every other subtype: RFC 2046 §5.1.7 says unknown subtypes are treated
  // as mixed, which also fits signed (content first), report (human-readable part first) and digest.
  for (const child of node.children) {
    const choice = findBody(child);
    if (choice) return choice;
  }
  return null;
}

function containsAny(node: PlanNode, partIds: ReadonlySet<string>): boolean {
  if (partIds.has(node.partId) && !isMultipart(node)) return true;
  return node.children.some((child) => containsAny(child, partIds));
}

function contentTypeOf(node: PlanNode): string {
  if (node.type.startsWith("text/")) {
    const charset = param(node.source.parameters, "charset");
    if (charset && CHARSET.test(charset)) return `${node.type}; charset=${charset.toLowerCase()}`;
  }
  return node.type;
}

function encodedSize(node: PlanNode): number {
  const size = node.source.size;
  return typeof size === "number" && Number.isFinite(size) && size > 0 ? Math.floor(size) : 0;
}

function filenameOf(node: PlanNode, rawName: string | null): string {
  const named = rawName ? cleanFilename(rawName) : "";
  if (named) return named;
  if (isEmbeddedMessage(node.type)) {
    const subject = node.source.envelope?.subject;
    const fromSubject = typeof subject === "string" ? cleanFilename(subject) : "";
    if (fromSubject) return `${fromSubject}.eml`;
  }
  return fallbackFilename(node.partId, node.type);
}

interface Scope {
  /** Inside a multipart/related that holds the HTML body: Content-ID'd parts may be shown inline. */
  inlineScope: boolean;
  /** Inside an alternative that was not chosen: its text parts repeat the content shown. */
  duplicateText: boolean;
}

interface Collector {
  plan: BodyPlan;
  bodyIds: ReadonlySet<string>;
}

function collectLeaf(node: PlanNode, scope: Scope, collector: Collector): void {
  if (collector.bodyIds.has(node.partId)) return;
  if (scope.duplicateText && (node.type === "text/plain" || node.type === "text/html")) return;
  const rawName =
    param(node.source.dispositionParameters, "filename") ?? param(node.source.parameters, "name");
  const size = encodedSize(node);
  if (size === 0 && !rawName) return;
  const cid = contentId(node);
  const { plan } = collector;
  const inline = scope.inlineScope && cid !== "" && !plan.inlineByCid.has(cid);
  const contentType = contentTypeOf(node);
  if (inline) plan.inlineByCid.set(cid, { partId: node.partId, contentType });
  plan.attachments.push({
    partId: node.partId,
    filename: filenameOf(node, rawName),
    contentType,
    size,
    inline,
    contentId: cid || null,
  });
}

function collect(node: PlanNode, scope: Scope, collector: Collector): void {
  if (!isMultipart(node)) {
    collectLeaf(node, scope, collector);
    return;
  }
  if (node.type === "multipart/alternative") {
    let keep = collector.bodyIds;
    if (!containsAny(node, keep)) {
      // An alternative that is not the message body (e.g. a second one inside mixed) still shows
      // up once, as its best representation; the others would be the same content again.
      const choice = findBody(node);
      const best = choice?.html ?? choice?.text;
      keep = new Set(best ? [best.partId] : []);
    }
    for (const child of node.children) {
      const chosen = keep.size === 0 || containsAny(child, keep);
      collect(child, { ...scope, duplicateText: scope.duplicateText || !chosen }, collector);
    }
    return;
  }
  const holdsHtml =
    node.type === "multipart/related" &&
    collector.plan.htmlPart !== null &&
    containsAny(node, new Set([collector.plan.htmlPart]));
  for (const child of node.children) {
    collect(child, { ...scope, inlineScope: scope.inlineScope || holdsHtml }, collector);
  }
}

/**
 * Decides from the BODYSTRUCTURE alone which part is the body and what is listed as attachments,
 * so the reader fetches one text part and never an attachment's bytes.
 *
 * In multipart/mixed the first displayable part is the body; later inline text parts (mailing-list
 * footers, a second alternative) are listed as attachments instead of being appended, because the
 * reader downloads and sanitizes exactly one part — and listing them hides nothing.
 */
export function planBody(root: MimeNode): BodyPlan {
  const plan: BodyPlan = { htmlPart: null, textPart: null, inlineByCid: new Map(), attachments: [] };
  if (!root || typeof root !== "object") return plan;
  const tree = buildTree(root, rootPartId(root), 0);
  const choice = findBody(tree);
  plan.htmlPart = choice?.html?.partId ?? null;
  plan.textPart = choice?.text?.partId ?? null;
  const bodyIds = new Set([plan.htmlPart, plan.textPart].filter((id): id is string => id !== null));
  collect(tree, { inlineScope: false, duplicateText: false }, { plan, bodyIds });
  return plan;
}
