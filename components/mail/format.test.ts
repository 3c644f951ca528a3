import { describe, expect, it } from "vitest";
import { displayAddress, formatListDate, fullAddress, initialsOf } from "./format";

describe("format", () => {
  it("shows a name when there is one, else the address", () => {
    expect(displayAddress({ name: "Jörg Müller", address: "j@example.test" })).toBe("Jörg Müller");
    expect(displayAddress({ name: "", address: "j@example.test" })).toBe("j@example.test");
    expect(fullAddress({ name: "Jörg", address: "j@example.test" })).toBe("Jörg <j@example.test>");
  });

  it("shows list dates relative to now: time today, weekday this week, month and day this year, else the year", () => {
    const now = new Date(2026, 11, 2, 15, 0); // Wednesday 2 December 2026
    expect(formatListDate(new Date(2026, 11, 2, 10, 42).toISOString(), now, "en-US")).toBe("10:42");
    expect(formatListDate(new Date(2026, 11, 1, 9, 0).toISOString(), now, "en-US")).toBe("Tue");
    expect(formatListDate(new Date(2026, 2, 8, 9, 0).toISOString(), now, "en-US")).toBe("Mar 8");
    expect(formatListDate(new Date(2024, 5, 1).toISOString(), now, "en-US")).toBe("2024");
  });

  it("shows list dates in a given time zone, as the server renders them for the browser's zone", () => {
    const now = new Date("2026-12-02T15:00:00Z");
    // 04:30 UTC on 2 December is 23:30 on 1 December in New York, and already Thursday 3 December
    // (00:00) in Tokyo, where the message, at 13:30 on the 2nd, is from yesterday.
    expect(formatListDate("2026-12-02T04:30:00Z", now, "en-US", "UTC")).toBe("04:30");
    expect(formatListDate("2026-12-02T04:30:00Z", now, "en-US", "America/New_York")).toBe("Tue");
    expect(formatListDate("2026-12-02T04:30:00Z", now, "de-DE", "Asia/Tokyo")).toBe("Mi");
    expect(formatListDate("2025-12-31T23:30:00Z", now, "en-US", "Asia/Tokyo")).toBe("Jan 1");
    expect(formatListDate("2025-12-31T23:30:00Z", now, "en-US", "UTC")).toBe("2025");
  });

  it("gives initials", () => {
    expect(initialsOf({ name: "Bob Builder", address: "bob@example.test" })).toBe("BB");
    expect(initialsOf({ name: "", address: "carol@example.test" })).toBe("C");
  });
});
