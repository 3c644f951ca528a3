import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { MessageSummary } from "@/lib/mail/types";
import { mailKeys } from "./keys";
import { testPage, testRow } from "./test-rows";
import { listedMembers } from "./use-conversation";

const row = (uid: number, members?: number[]) =>
  testRow(uid, members && { conversation: { id: `c${uid}`, uids: members, unreadUids: [], participants: [] } });
const page = (folder: string, messages: MessageSummary[], conversations: boolean) => testPage(folder, "7", messages, { conversations });

describe("listedMembers: a conversation's members as its list row has them", () => {
  it("finds the row of that folder's conversation list, and nothing elsewhere", () => {
    const client = new QueryClient();
    client.setQueryData([...mailKeys.lists(), "Other"], page("Other", [row(9, [9, 8])], true));
    client.setQueryData([...mailKeys.lists(), "INBOX", "messages"], page("INBOX", [row(9)], false));
    client.setQueryData([...mailKeys.lists(), "INBOX"], page("INBOX", [row(12, [12, 10, 3]), row(9, [9])], true));
    expect(listedMembers(client, { folder: "INBOX", uidValidity: "7", uid: 12 })).toEqual([12, 10, 3]);
    expect(listedMembers(client, { folder: "Other", uidValidity: "7", uid: 9 })).toEqual([9, 8]);
    // Another UIDVALIDITY is another folder's numbering; an unknown row sends no members.
    expect(listedMembers(client, { folder: "INBOX", uidValidity: "8", uid: 12 })).toBeUndefined();
    expect(listedMembers(client, { folder: "INBOX", uidValidity: "7", uid: 5 })).toBeUndefined();
  });

  it("sends at most as many as the reader stacks", () => {
    const client = new QueryClient();
    const many = Array.from({ length: 1000 }, (_, i) => 2000 - i);
    client.setQueryData([...mailKeys.lists(), "INBOX"], page("INBOX", [row(2000, many)], true));
    expect(listedMembers(client, { folder: "INBOX", uidValidity: "7", uid: 2000 })).toHaveLength(300);
  });
});
