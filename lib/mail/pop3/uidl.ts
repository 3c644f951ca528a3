import "server-only";
import type { Pop3Connection } from "./connection";
import { Pop3Error } from "./errors";

export interface Pop3UniqueId {
  /** The message number: valid in this session only (RFC 1939 §7, numbers change between sessions). */
  number: number;
  /** The unique-id: 1–70 characters 0x21–0x7E, the same for this message in every session. */
  uid: string;
}

/**
 * UIDL (RFC 1939 §7) without an argument: the unique-id of every message not marked deleted. The
 * unique-id, not the number, is what remembers a message across sessions. UIDL is optional in
 * RFC 1939; without it a fetcher cannot know what it already has, so its absence is an error here.
 */
export async function listUniqueIds(connection: Pop3Connection): Promise<Pop3UniqueId[]> {
  const response = await connection.command("UIDL");
  if (!response.ok) throw new Pop3Error("REFUSED", { serverText: response.text || "UIDL not supported" });
  return parseUidlListing(await connection.readBodyText());
}

export function parseUidlListing(text: string): Pop3UniqueId[] {
  const ids: Pop3UniqueId[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const match = /^(\d+) ([\x21-\x7e]{1,70})\s*$/.exec(line);
    if (!match) throw new Pop3Error("PROTOCOL", { detail: "malformed UIDL line" });
    ids.push({ number: Number(match[1]), uid: match[2]! });
  }
  return ids;
}
