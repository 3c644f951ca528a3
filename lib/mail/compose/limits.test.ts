import { describe, expect, it } from "vitest";
import { encodedSize, largestAttachment } from "./limits";
import { cleanFilename } from "./upload-store";

describe("attachment limits", () => {
  it("counts base64's 76-character lines plus CRLF", () => {
    expect(encodedSize(57)).toBe(78);
    expect(encodedSize(58)).toBe(156);
    expect(encodedSize(3 * 1024 * 1024)).toBeGreaterThan(3 * 1024 * 1024 * (4 / 3));
  });

  it("leaves a file that, once encoded, still fits the server's SIZE with room for the rest", () => {
    const size = 52_428_800;
    const largest = largestAttachment(size);
    expect(encodedSize(largest)).toBeLessThanOrEqual(size - 256 * 1024);
    expect(encodedSize(largest + 57)).toBeGreaterThan(size - 256 * 1024);
  });
});

describe("cleanFilename", () => {
  it("keeps the name, never a path or control characters", () => {
    expect(cleanFilename("../../etc/passwd")).toBe("passwd");
    expect(cleanFilename("C:\\Users\\me\\Résumé März.pdf")).toBe("Résumé März.pdf");
    expect(cleanFilename("a\u0000b\nc.txt")).toBe("abc.txt");
    expect(cleanFilename("")).toBe("attachment");
  });
});
