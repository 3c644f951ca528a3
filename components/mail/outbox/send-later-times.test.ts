import { describe, expect, it } from "vitest";
import {
  fromLocalInputValue,
  mondayMorning,
  sendAtProblem,
  toLocalInputValue,
  tomorrowMorning,
} from "./send-later-times";

// Local dates throughout: the choices are in the user's (the browser's) time zone.
const at = (y: number, m: number, d: number, h = 0, min = 0, s = 0) => new Date(y, m - 1, d, h, min, s);

describe("send later times", () => {
  it("offers tomorrow 08:00 and the next Monday 08:00", () => {
    const thursday = at(2026, 12, 3, 15, 20);
    expect(tomorrowMorning(thursday)).toEqual(at(2026, 12, 4, 8));
    expect(mondayMorning(thursday)).toEqual(at(2026, 12, 7, 8));
    expect(mondayMorning(at(2026, 12, 7, 7))).toEqual(at(2026, 12, 14, 8));
    expect(mondayMorning(at(2026, 12, 6, 22))).toEqual(at(2026, 12, 7, 8));
    expect(tomorrowMorning(at(2026, 12, 31, 23))).toEqual(at(2027, 1, 1, 8));
  });

  it("reads and writes the Send at field in local time", () => {
    expect(toLocalInputValue(at(2026, 12, 4, 8))).toBe("2026-12-04T08:00");
    expect(toLocalInputValue(at(2026, 12, 4, 8, 0, 30))).toBe("2026-12-04T08:00:30");
    expect(fromLocalInputValue("2026-12-04T08:00")).toEqual(at(2026, 12, 4, 8));
    expect(fromLocalInputValue("")).toBeNull();
    expect(fromLocalInputValue("tomorrow")).toBeNull();
  });

  it("refuses an empty or past time with a clear message", () => {
    const now = at(2026, 12, 3, 15);
    expect(sendAtProblem(null, now)).toMatch(/Enter a date/);
    expect(sendAtProblem(at(2026, 12, 3, 14, 59), now)).toMatch(/already passed/);
    expect(sendAtProblem(at(2026, 12, 3, 15, 1), now)).toBeNull();
  });
});
