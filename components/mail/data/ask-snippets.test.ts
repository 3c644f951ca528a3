import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { MessagePage, MessageSummary } from "@/lib/mail/types";
import { mailKeys } from "./keys";
import { DEFAULT_ORDER } from "./source";
import { patchPreviews } from "./ask-snippets";
import { testPage, testRow } from "./test-rows";

const row = (uid: number, preview: string | null, where?: { folder: string; uidValidity: string }) => testRow(uid, { preview, ...where });
const pageOf = (folder: string, uidValidity: string, messages: MessageSummary[]) => testPage(folder, uidValidity, messages);

describe("patchPreviews", () => {
  it("fills the rows of that folder and UIDVALIDITY that have no preview yet, in folder, conversation and search pages", () => {
    const client = new QueryClient();
    const inbox = mailKeys.page({ kind: "folder", folder: "INBOX" }, DEFAULT_ORDER, 0);
    const conversations = mailKeys.page({ kind: "conversations", folder: "INBOX" }, DEFAULT_ORDER, 0);
    const anywhere = mailKeys.page({ kind: "search", query: "x in:anywhere", folder: "INBOX" }, DEFAULT_ORDER, 0);
    const other = mailKeys.page({ kind: "folder", folder: "Archive" }, DEFAULT_ORDER, 0);
    client.setQueryData(inbox, pageOf("INBOX", "7", [row(3, null), row(2, "the server's own"), row(1, null)]));
    client.setQueryData(conversations, pageOf("INBOX", "7", [row(3, null)]));
    client.setQueryData(anywhere, pageOf("", "", [row(3, null, { folder: "INBOX", uidValidity: "7" }), row(3, null, { folder: "Archive", uidValidity: "7" })]));
    client.setQueryData(other, pageOf("Archive", "7", [row(3, null)]));

    patchPreviews(client, "INBOX", "7", { "3": "Tea at four", "2": "not this", "1": "" });

    expect(client.getQueryData<MessagePage>(inbox)!.messages.map((m) => m.preview)).toEqual(["Tea at four", "the server's own", ""]);
    expect(client.getQueryData<MessagePage>(conversations)!.messages[0]!.preview).toBe("Tea at four");
    // In results from every folder, only the row that is in INBOX.
    expect(client.getQueryData<MessagePage>(anywhere)!.messages.map((m) => m.preview)).toEqual(["Tea at four", null]);
    expect(client.getQueryData<MessagePage>(other)!.messages[0]!.preview).toBeNull();
  });

  it("leaves rows of another UIDVALIDITY alone: their UIDs name other messages", () => {
    const client = new QueryClient();
    const inbox = mailKeys.page({ kind: "folder", folder: "INBOX" }, DEFAULT_ORDER, 0);
    const before = pageOf("INBOX", "8", [row(3, null)]);
    client.setQueryData(inbox, before);
    patchPreviews(client, "INBOX", "7", { "3": "Tea at four" });
    expect(client.getQueryData(inbox)).toBe(before);
  });
});
