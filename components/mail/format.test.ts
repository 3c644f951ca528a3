import { describe, expect, it } from "vitest";
import { displayAddress, formatSize, fullAddress } from "./format";

describe("format", () => {
  it("shows a name when there is one, else the address", () => {
    expect(displayAddress({ name: "Jörg Müller", address: "j@example.test" })).toBe("Jörg Müller");
    expect(displayAddress({ name: "", address: "j@example.test" })).toBe("j@example.test");
    expect(fullAddress({ name: "Jörg", address: "j@example.test" })).toBe("Jörg <j@example.test>");
  });

  it("formats sizes", () => {
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(2048)).toBe("2 KB");
    expect(formatSize(25 * 1024 * 1024)).toBe("25.0 MB");
  });
});
