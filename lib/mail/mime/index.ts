import "server-only";

export { contentDispositionHeader, safeDownloadType } from "./content-disposition";
export { finalizeAttachments } from "./finalize-attachments";
export type { MimeNode } from "./mime-node";
export { planBody, type BodyPlan, type InlinePart } from "./plan-body";
export { bodyContentSecurityPolicy, renderBodyDocument } from "./render-body-document";
export { sanitizeMailHtml, type SanitizeMailHtmlOptions, type SanitizedMailHtml } from "./sanitize-html";
export { textToHtml } from "./text-to-html";
export { cleanComposedHtml, composedHtmlDocument, htmlToPlainText, quotePlainText } from "./compose-body";
export { readArrivalHeaders, type ArrivalHeaders } from "./read-arrival-headers";
