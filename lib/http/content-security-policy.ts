// The Content-Security-Policy of the app's own pages (not of a message body: that document has its
// own, stricter one in lib/mail/mime/render-body-document.ts). Pure and free of secrets, so the
// proxy (proxy.ts) can build it per request; no "server-only" because the proxy bundle runs it.

/** The request header by which proxy.ts hands the page's nonce to the root layout. */
export const NONCE_HEADER = "x-nonce";

/** A fresh, unguessable nonce: 128 random bits, base64 (CSP3 `nonce-source` is base64-value). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The policy for one page view.
 * - script-src: only scripts carrying this response's nonce, and what they load ('strict-dynamic':
 *   Next's chunks and next/dynamic imports are inserted by its nonce-carrying runtime). 'self' and
 *   'unsafe-inline' are ignored by CSP3 browsers beside a nonce and 'strict-dynamic'; they are the
 *   fallback for CSP1 browsers only. Development adds 'unsafe-eval' for React's debugging.
 * - style-src keeps 'unsafe-inline': React renders `style` attributes (list rows' positions, the
 *   virtualizer) into the HTML, which a style nonce cannot cover. Styles cannot run code.
 * - object-src, base-uri 'none'; frame-ancestors 'none' (no one frames the app: clickjacking);
 *   frame-src 'self' for the reader's sandboxed body frame, served by our own API.
 */
export function pageContentSecurityPolicy(nonce: string, { development = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic' 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
