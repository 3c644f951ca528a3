import { describe, expect, it } from "vitest";
import { filenameFromMimeHeader, mayBeCutFilename, repairCutFilename } from "./lenient-filename";

describe("filenameFromMimeHeader", () => {
  it("reads an unquoted name with spaces to the end of the parameter, as mail clients do", () => {
    expect(filenameFromMimeHeader("Content-Type: application/msword\r\nContent-Disposition: attachment; filename=Yinxiang Motorcycles.doc\r\n")).toBe(
      "Yinxiang Motorcycles.doc",
    );
    expect(filenameFromMimeHeader("Content-Type: application/msword; name=Yinxiang Motorcycles.doc; x=1\r\n")).toBe("Yinxiang Motorcycles.doc");
    // Folded across lines (RFC 5322 §2.2.3).
    expect(filenameFromMimeHeader("Content-Disposition: attachment;\r\n filename=Quarterly report\r\n final.pdf\r\n")).toBe(
      "Quarterly report final.pdf",
    );
  });

  it("keeps quoted, RFC 2231 and encoded names as the strict parse reads them", () => {
    expect(filenameFromMimeHeader('Content-Disposition: attachment; filename="a; b.txt"\r\n')).toBe("a; b.txt");
    expect(filenameFromMimeHeader("Content-Disposition: attachment; filename*=utf-8''Gr%C3%BC%C3%9Fe.txt\r\n")).toBe("Grüße.txt");
    expect(filenameFromMimeHeader("Content-Disposition: attachment; filename*0=part; filename*1=two.txt\r\n")).toBe("parttwo.txt");
    expect(filenameFromMimeHeader('Content-Type: text/plain; name="=?utf-8?B?w6Rw?=.txt"\r\n')).toBe("=?utf-8?B?w6Rw?=.txt");
  });

  it("prefers Content-Disposition's filename, and gives null when neither header names the part", () => {
    expect(filenameFromMimeHeader("Content-Type: text/plain; name=b.txt\r\nContent-Disposition: attachment; filename=a.txt\r\n")).toBe("a.txt");
    expect(filenameFromMimeHeader("Content-Type: text/plain\r\n")).toBeNull();
    expect(filenameFromMimeHeader("")).toBeNull();
  });
});

describe("repairCutFilename", () => {
  it("takes the header's name only where the structure's is a cut-off prefix of it", () => {
    expect(repairCutFilename("Yinxiang", "Yinxiang Motorcycles.doc")).toBe("Yinxiang Motorcycles.doc");
    expect(repairCutFilename("Yinxiang", "Other.doc")).toBe("Yinxiang");
    expect(repairCutFilename("report", "report")).toBe("report");
    expect(repairCutFilename("report", null)).toBe("report");
    // The header's name is cleaned like every other: no path, no control characters.
    expect(repairCutFilename("a", "a ../../b\r\n.txt")).toBe("a .._.._b.txt");
  });

  it("suspects only names without an extension", () => {
    expect(mayBeCutFilename("Yinxiang")).toBe(true);
    expect(mayBeCutFilename("Yinxiang Motorcycles.doc")).toBe(false);
    expect(mayBeCutFilename("archive.tar.gz")).toBe(false);
    expect(mayBeCutFilename("")).toBe(false);
  });
});
