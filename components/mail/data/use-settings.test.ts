import { describe, expect, it } from "vitest";
import { defaultSettings } from "@/lib/mail/schemas";
import { FALLBACK_SETTINGS } from "./use-settings";

describe("FALLBACK_SETTINGS", () => {
  it("are the schema's defaults", () => {
    expect(FALLBACK_SETTINGS).toEqual(defaultSettings);
  });
});
