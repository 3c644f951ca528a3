import { describe, expect, it } from "vitest";
import { parseThreadResponse, threadAlgorithm } from "./thread-uids";

const a = (value: string) => ({ type: "ATOM", value });

describe("THREAD responses (RFC 5256 §4)", () => {
  it("flattens each thread's tree, dummy roots included, in the server's order", () => {
    // (2)(3 6 (4 23)(44 7 96)) ((11)(12))
    const attributes = [[a("2")], [a("3"), a("6"), [a("4"), a("23")], [a("44"), a("7"), a("96")]], [[a("11")], [a("12")]]];
    expect(parseThreadResponse(attributes, 100)).toEqual([[2], [3, 6, 4, 23, 44, 7, 96], [11, 12]]);
  });

  it("reads no more than the limit and skips what is not a UID", () => {
    expect(parseThreadResponse([[a("1"), a("x"), a("-3"), a("2"), a("3")]], 2)).toEqual([[1, 2]]);
  });

  it("prefers REFS, then REFERENCES; ORDEREDSUBJECT alone is no threading", () => {
    expect(threadAlgorithm(new Set(["THREAD=REFERENCES", "THREAD=REFS"]))).toBe("REFS");
    expect(threadAlgorithm(new Set(["THREAD=REFERENCES"]))).toBe("REFERENCES");
    expect(threadAlgorithm(new Set(["THREAD=ORDEREDSUBJECT"]))).toBeNull();
  });
});
