import { describe, expect, it } from "vitest";
import type { OutboxItem } from "@/lib/mail/types";
import { describeState, formatWhen } from "./outbox-state";

const now = new Date("2026-12-03T13:59:52Z"); // a Thursday
const item = (over: Partial<OutboxItem>): OutboxItem => ({
  id: "x",
  subject: "s",
  to: ["bob@example.test"],
  state: "waiting",
  dueAt: now.toISOString(),
  createdAt: now.toISOString(),
  attempts: 0,
  lastError: null,
  ...over,
});

describe("describeState", () => {
  it("counts down the undo window in whole seconds", () => {
    expect(describeState(item({ dueAt: "2026-12-03T14:00:00Z" }), now, "UTC")).toBe("sending in 8 s");
    expect(describeState(item({ dueAt: "2026-12-03T13:59:00Z" }), now, "UTC")).toBe("sending");
  });

  it("says when a scheduled message goes, in the user's time zone", () => {
    expect(describeState(item({ state: "scheduled", dueAt: "2026-12-07T09:00:00Z" }), now, "UTC")).toBe(
      "scheduled for Mon 09:00",
    );
    expect(describeState(item({ state: "scheduled", dueAt: "2026-12-04T08:00:00Z" }), now, "UTC")).toBe(
      "scheduled for tomorrow 08:00",
    );
    expect(
      describeState(item({ state: "scheduled", dueAt: "2026-12-07T09:00:00Z" }), now, "Europe/Berlin"),
    ).toBe("scheduled for Mon 10:00");
    expect(describeState(item({ state: "scheduled", dueAt: "2026-12-21T09:00:00Z" }), now, "UTC")).toBe(
      "scheduled for Mon 21 Dec 09:00",
    );
  });

  it("says why a retry waits, when the next try is and which attempt it will be", () => {
    const retrying = item({
      state: "retrying",
      dueAt: "2026-12-03T14:05:00Z",
      attempts: 2,
      lastError: "The mail server is unreachable.",
    });
    expect(describeState(retrying, now, "UTC")).toBe(
      "retrying: the mail server is unreachable; next try 14:05, attempt 3",
    );
  });

  it("formats near days by name", () => {
    expect(formatWhen(new Date("2026-12-03T17:30:00Z"), now, "UTC")).toBe("today 17:30");
  });
});
