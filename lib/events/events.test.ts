import { describe, expect, it, vi } from "vitest";
import { publishEvent, subscribeEvents, type MailEvent } from "./index";

describe("events", () => {
  it("delivers a user's events to that user's subscribers only, until they unsubscribe", async () => {
    const alice: MailEvent[] = [];
    const bob: MailEvent[] = [];
    const off = await subscribeEvents("Alice@example.test", (e) => alice.push(e));
    await subscribeEvents("bob@example.test", (e) => bob.push(e));
    await publishEvent("alice@example.test", { type: "new-mail", folder: "INBOX" });
    await vi.waitFor(() => expect(alice).toEqual([{ type: "new-mail", folder: "INBOX" }]));
    await off();
    await publishEvent("alice@example.test", { type: "folder-changed", folder: "Archive" });
    await publishEvent("bob@example.test", { type: "message-sent", messageId: "<m@x>" });
    await vi.waitFor(() => expect(bob).toEqual([{ type: "message-sent", messageId: "<m@x>" }]));
    expect(alice).toHaveLength(1);
  });
});
