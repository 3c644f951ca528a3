import "server-only";

// Tracking in mail: query parameters that tie a click or an image load to a campaign and a
// recipient, and 1×1 "pixels" whose only purpose is to report that a message was opened.

// Parameters that identify campaigns and recipients, never what a page shows: Google/Urchin
// (utm_*), ad click ids (fbclid, gclid, dclid, msclkid, yclid, twclid, igshid), Mailchimp (mc_cid,
// mc_eid), HubSpot (_hsenc, _hsmi, __hssc, __hstc, __hsfp, hsCtaTracking), Marketo (mkt_tok),
// Oracle Eloqua / Omeda (elqTrackId, elqTrack, oly_anon_id, oly_enc_id), Vero (vero_id, vero_conv),
// Klaviyo (_kx), Drip (__s), Wicked Reports (wickedid), Sendy/Sendinblue (_ke).
const TRACKING_PARAMETER = new RegExp(
  "^(?:utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi|__hssc|__hstc|__hsfp|" +
    "hsctatracking|mkt_tok|elqtrackid|elqtrack|oly_anon_id|oly_enc_id|vero_id|vero_conv|_kx|__s|wickedid|_ke)$",
  "i",
);

/** The URL without tracking parameters; anything that is not an absolute http(s) URL comes back unchanged. */
export function stripTrackingParameters(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search === "") return href;
  const names = [...new Set([...url.searchParams.keys()])].filter((name) => TRACKING_PARAMETER.test(name));
  if (names.length === 0) return href;
  for (const name of names) url.searchParams.delete(name);
  return url.href;
}

// Well-known open-tracking endpoints of mailing services: their images exist only to report the
// open, whatever size they declare.
const TRACKING_PIXEL_URL = [
  /^https?:\/\/[^/]*\.list-manage\.com\/track\/open\.php/i, // Mailchimp
  /^https?:\/\/[^/]*mandrillapp\.com\/track\/open\.php/i, // Mandrill
  /^https?:\/\/[^/]*sendgrid\.net\/wf\/open/i, // SendGrid
  /^https?:\/\/[^/]*\/e\/o\/[^?]*\?/i, // Mailgun ("/e/o/…")
  /^https?:\/\/[^/]*mailtrack\.io\/trace/i, // Mailtrack
  /^https?:\/\/t\.yesware\.com\//i, // Yesware
  /^https?:\/\/[^/]*\.hubspotemail\.net\/e2t\/to\//i, // HubSpot
  /^https?:\/\/[^/]*\.mailjet\.com\/oo\//i, // Mailjet
  /^https?:\/\/[^/]*\.sparkpostmail\.com\/q\//i, // SparkPost
  /^https?:\/\/[^/]*\.exacttarget\.com\/open\.aspx/i, // Salesforce Marketing Cloud
  /\/(?:open|opened|track\/open|tracking\/open|pixel)\.(?:gif|png|php|aspx)(?:[?#]|$)/i,
];

/** True for the URL of a known open-tracking pixel. */
export function isKnownTrackingPixelUrl(href: string): boolean {
  return TRACKING_PIXEL_URL.some((pattern) => pattern.test(href));
}

/** True when an image's declared size (HTML attributes or inline style) is at most 1×1 pixel. */
export function isDeclaredTrackingPixel(width: string | undefined, height: string | undefined): boolean {
  const tiny = (v: string | undefined) => v !== undefined && /^\s*[01](?:\.0*)?\s*(?:px)?\s*$/i.test(v);
  return tiny(width) && tiny(height);
}
