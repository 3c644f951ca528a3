import { describe, expect, it } from "vitest";
import { formatRelativeDate } from "./relative-date";

describe("formatRelativeDate", () => {
  const now = new Date(2026, 11, 2, 15, 0); // Wednesday 2 December 2026
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

  it("counts minutes, hours and days back, then gives the list's date", () => {
    expect(formatRelativeDate(ago(20), now, "en-US")).toBe("now");
    expect(formatRelativeDate(ago(5 * 60), now, "en-US")).toBe("5 minutes ago");
    expect(formatRelativeDate(ago(3 * 3600), now, "en-US")).toBe("3 hours ago");
    expect(formatRelativeDate(ago(30 * 3600), now, "en-US")).toBe("yesterday");
    expect(formatRelativeDate(new Date(2026, 2, 8, 9, 0).toISOString(), now, "en-US")).toBe("Mar 8");
    expect(formatRelativeDate("not a date", now, "en-US")).toBe("");
  });
});
