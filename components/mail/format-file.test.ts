import { describe, expect, it } from "vitest";
import { fileKind, formatFileSize } from "./format-file";

describe("format-file", () => {
  it("names a file's kind by its extension, else by its MIME type", () => {
    expect(fileKind("text/csv; charset=us-ascii", "numbers.csv")).toBe("CSV");
    expect(fileKind("image/png", "")).toBe("Image");
    expect(fileKind("application/x-tar", "")).toBe("TAR");
    expect(fileKind("", "")).toBe("File");
  });

  it("gives sizes in SI units, as the reader, the composer and the Outbox all show them", () => {
    expect(formatFileSize(512)).toBe("512 B");
    expect(formatFileSize(12_345)).toBe("12 kB");
    expect(formatFileSize(25 * 1024 * 1024)).toBe("26.2 MB");
    expect(formatFileSize(3_400_000_000)).toBe("3.4 GB");
  });
});
