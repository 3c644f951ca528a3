import "server-only";
import type { FetchMessageObject, MessageAddressObject, MessageStructureObject } from "imapflow";
import type { MimeNode } from "@/lib/mail/mime/mime-node";
import type { Address, MessageFlags, MessageSummary } from "@/lib/mail/types";

export function toAddresses(list: MessageAddressObject[] | undefined): Address[] {
  return (list ?? [])
    .filter((a) => a.address || a.name)
    .map((a) => ({ name: a.name ?? "", address: a.address ?? "" }));
}

export function toFlags(flags: Set<string> | undefined): MessageFlags {
  const f = flags ?? new Set<string>();
  return { seen: f.has("\\Seen"), flagged: f.has("\\Flagged"), answered: f.has("\\Answered"), draft: f.has("\\Draft") };
}

export function toMimeNode(node: MessageStructureObject): MimeNode {
  return {
    part: node.part,
    type: (node.type ?? "application/octet-stream").toLowerCase(),
    parameters: node.parameters,
    id: node.id,
    encoding: node.encoding,
    size: node.size,
    disposition: node.disposition?.toLowerCase(),
    dispositionParameters: node.dispositionParameters,
    envelope: node.envelope ? { subject: node.envelope.subject } : undefined,
    childNodes: node.childNodes?.map(toMimeNode),
  };
}

function isoDate(value: Date | string | undefined): string | null {
  if (!value) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A message's date: the Date header, else when the server received it (a missing or broken header is common in spam). */
export function messageDate(message: Pick<FetchMessageObject, "envelope" | "internalDate">): string {
  return isoDate(message.envelope?.date) ?? isoDate(message.internalDate) ?? new Date(0).toISOString();
}

export function toSummary(message: FetchMessageObject, hasAttachments: boolean): MessageSummary {
  return {
    uid: message.uid,
    flags: toFlags(message.flags),
    from: toAddresses(message.envelope?.from),
    to: toAddresses(message.envelope?.to),
    subject: message.envelope?.subject ?? "",
    date: messageDate(message),
    size: message.size ?? 0,
    hasAttachments,
    preview: null,
  };
}
