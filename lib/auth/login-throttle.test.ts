import { afterEach, describe, expect, it } from "vitest";
import { isThrottled, recordFailure, recordSuccess } from "./login-throttle";

// The window's expiry is the store's counters' (tests/store/contract.ts covers it on both backends).
describe("login throttle", () => {
  afterEach(() => {
    delete process.env.LOGIN_MAX_FAILURES;
  });

  it("throttles a login after the configured number of failures, per login and per address", async () => {
    process.env.LOGIN_MAX_FAILURES = "3";
    for (let i = 0; i < 2; i++) await recordFailure("Carol@example.test", "10.0.0.1");
    expect(await isThrottled("carol@example.test", "10.0.0.2")).toBe(false);
    await recordFailure("carol@example.test", "10.0.0.1");
    expect(await isThrottled("carol@example.test", "10.0.0.2")).toBe(true);
    expect(await isThrottled("dave@example.test", "10.0.0.1")).toBe(true);
    expect(await isThrottled("dave@example.test", "10.0.0.9")).toBe(false);
  });

  it("a success clears the login's count", async () => {
    process.env.LOGIN_MAX_FAILURES = "2";
    await recordFailure("erin@example.test", "10.1.0.1");
    await recordSuccess("erin@example.test");
    await recordFailure("erin@example.test", "10.1.0.2");
    expect(await isThrottled("erin@example.test", "10.1.0.3")).toBe(false);
  });
});
