import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/mail/types";
import { prefixSubject, replyRecipients, replyReferences } from "./start-compose";

const base: Message = {
  uid: 1, folder: "INBOX", uidValidity: "1", flags: { seen: true, flagged: false, answered: false, draft: false },
  from: [{ name: "Alice", address: "alice@example.test" }],
  to: [{ name: "Bob", address: "bob@example.test" }, { name: "Carol", address: "carol@example.test" }],
  cc: [{ name: "", address: "dave@example.test" }, { name: "", address: "BOB@example.test" }],
  bcc: [], replyTo: [], subject: "Plans", date: new Date(0).toISOString(), size: 1, hasAttachments: false,
  messageId: "<m2@example.test>", inReplyTo: "<m1@example.test>", html: "", remoteContentBlocked: false, attachments: [],
};

describe("prefixSubject", () => {
  it("adds Re: once, however many prefixes were stacked", () => {
    expect(prefixSubject("Plans", "Re")).toBe("Re: Plans");
    expect(prefixSubject("Re: RE: AW: Plans", "Re")).toBe("Re: Plans");
    expect(prefixSubject("Fwd: Plans", "Fwd")).toBe("Fwd: Plans");
  });
});

describe("replyRecipients", () => {
  it("replies to the sender; reply all adds To and Cc without the user's own address", () => {
    expect(replyRecipients(base, "bob@example.test", false)).toEqual({ to: [base.from[0]], cc: [] });
    const all = replyRecipients(base, "bob@example.test", true);
    expect(all.to.map((a) => a.address)).toEqual(["alice@example.test", "carol@example.test"]);
    expect(all.cc.map((a) => a.address)).toEqual(["dave@example.test"]);
  });

  it("prefers Reply-To", () => {
    const withReplyTo = { ...base, replyTo: [{ name: "List", address: "list@example.test" }] };
    expect(replyRecipients(withReplyTo, "bob@example.test", false).to.map((a) => a.address)).toEqual(["list@example.test"]);
  });
});

describe("replyReferences", () => {
  it("appends the parent's Message-ID to its References, else to its In-Reply-To", () => {
    expect(replyReferences({ messageId: "<m2@x>", inReplyTo: "<m1@x>", references: ["<m0@x>", "<m1@x>"] })).toEqual(["<m0@x>", "<m1@x>", "<m2@x>"]);
    expect(replyReferences({ messageId: "<m2@x>", inReplyTo: "<m1@x>", references: [] })).toEqual(["<m1@x>", "<m2@x>"]);
  });
});
