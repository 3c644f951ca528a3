import { afterEach, describe, expect, it } from "vitest";
import { isThrottled, recordFailure, recordSuccess } from "./login-throttle";

describe("login throttle", () => {
  afterEach(() => {
    delete process.env.LOGIN_MAX_FAILURES;
  });

  it("throttles a login after the configured number of failures, per login and per address", () => {
    process.env.LOGIN_MAX_FAILURES = "3";
    const now = 1_000_000;
    for (let i = 0; i < 2; i++) recordFailure("Carol@example.test", "10.0.0.1", now);
    expect(isThrottled("carol@example.test", "10.0.0.2", now)).toBe(false);
    recordFailure("carol@example.test", "10.0.0.1", now);
    expect(isThrottled("carol@example.test", "10.0.0.2", now)).toBe(true);
    expect(isThrottled("dave@example.test", "10.0.0.1", now)).toBe(true);
    expect(isThrottled("dave@example.test", "10.0.0.9", now)).toBe(false);
    // The window passes.
    expect(isThrottled("carol@example.test", "10.0.0.2", now + 5 * 60_000 + 1)).toBe(false);
  });

  it("a success clears the login's count", () => {
    process.env.LOGIN_MAX_FAILURES = "2";
    recordFailure("erin@example.test", "10.1.0.1");
    recordSuccess("erin@example.test");
    recordFailure("erin@example.test", "10.1.0.2");
    expect(isThrottled("erin@example.test", "10.1.0.3")).toBe(false);
  });
});
