import { describe, expect, it } from "vitest";
import { cleanFilename, fallbackFilename } from "./attachment-filename";

describe("cleanFilename", () => {
  it("decodes RFC 2047 encoded-words", () => {
    expect(cleanFilename("=?UTF-8?B?w6TDtsO8LnBkZg==?=")).toBe("äöü.pdf");
    expect(cleanFilename("=?ISO-8859-1?Q?Pr=E4sentation?= =?ISO-8859-1?Q?_2024.pptx?=")).toBe(
      "Präsentation 2024.pptx",
    );
  });

  it("leaves broken encoded-words as text", () => {
    expect(cleanFilename("=?bogus?X?zz?=.txt")).toBe("=?bogus?X?zz?=.txt");
  });

  it("removes control characters, bidi overrides, separators and leading dots", () => {
    expect(cleanFilename("a\u0000b\r\n\u0085c.txt")).toBe("abc.txt");
    expect(cleanFilename("photo\u202Egpj.exe")).toBe("photogpj.exe");
    expect(cleanFilename("..\\..\\boot.ini")).toBe("_.._boot.ini");
    expect(cleanFilename(" .hidden ")).toBe("hidden");
    expect(cleanFilename("...")).toBe("");
  });

  it("shortens long names but keeps the extension", () => {
    const long = cleanFilename(`${"x".repeat(500)}.pdf`);
    expect(long).toHaveLength(180);
    expect(long.endsWith("x.pdf")).toBe(true);
  });
});

describe("fallbackFilename", () => {
  it("derives an extension from the type", () => {
    expect(fallbackFilename("1.2", "image/png")).toBe("attachment-1.2.png");
    expect(fallbackFilename("3", "message/rfc822")).toBe("attachment-3.eml");
    expect(fallbackFilename("4", "application/x-unheard-of")).toBe("attachment-4.bin");
  });
});
