import "server-only";

/**
 * The bare form of a Content-ID, as both a part's header and a `cid:` URL name it: RFC 2392 puts
 * the msg-id in angle brackets in the header but leaves them out of the URL, and some mailers
 * write them in both places or neither.
 */
export function bareContentId(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith("<") && trimmed.endsWith(">") ? trimmed.slice(1, -1).trim() : trimmed;
}
