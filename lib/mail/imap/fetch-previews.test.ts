import { describe, expect, it } from "vitest";
import { cleanPreview, parsePreviewFetch, previewForm } from "./fetch-previews";

const atom = (value: string) => ({ type: "ATOM", value });
const str = (value: string) => ({ type: "STRING", value });

describe("previewForm", () => {
  it("prefers PREVIEW (RFC 8970) over the older SNIPPET=FUZZY, and offers nothing without either", () => {
    expect(previewForm(new Set(["SNIPPET=FUZZY", "PREVIEW"]))).toBe("preview");
    expect(previewForm(new Set(["SNIPPET=FUZZY"]))).toBe("snippet");
    expect(previewForm(new Set(["IMAP4rev1"]))).toBeNull();
  });
});

describe("parsePreviewFetch", () => {
  it("reads PREVIEW, SNIPPET (FUZZY …) and NIL", () => {
    expect(parsePreviewFetch([atom("UID"), atom("7"), atom("PREVIEW"), str("Hi Alice")])).toEqual([7, "Hi Alice"]);
    expect(parsePreviewFetch([atom("UID"), atom("8"), atom("SNIPPET"), [atom("FUZZY"), str("Hello")]])).toEqual([8, "Hello"]);
    expect(parsePreviewFetch([atom("UID"), atom("9"), atom("PREVIEW"), null])).toEqual([9, null]);
    // An empty preview is known to be empty (""), not unknown (null): nobody asks again.
    expect(parsePreviewFetch([atom("UID"), atom("10"), atom("PREVIEW"), str(" \r\n ")])).toEqual([10, ""]);
    expect(parsePreviewFetch([atom("FLAGS"), []])).toBeNull();
  });
});

describe("cleanPreview", () => {
  it("folds whitespace, drops control and direction characters, caps the length", () => {
    expect(cleanPreview("  a\r\n\tb\u202e c\u0000 ")).toBe("a b c");
    expect(cleanPreview(" \n ")).toBeNull();
    const long = cleanPreview("x".repeat(400));
    expect(long).toHaveLength(256);
    expect(long?.endsWith("…")).toBe(true);
  });
});
