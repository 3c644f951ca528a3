import { describe, expect, it } from "vitest";
import { expandOrderedSet, parseEsortResponse, parseSortResponse, sortSupport } from "./sort-uids";

const atom = (value: string) => ({ type: "ATOM", value });
const seq = (value: string) => ({ type: "SEQUENCE", value });

describe("expandOrderedSet", () => {
  it("keeps the order the set is written in, ranges either way", () => {
    expect(expandOrderedSet("5,3:4,9:7", 100)).toEqual([5, 3, 4, 9, 8, 7]);
    expect(expandOrderedSet("1:4", 100)).toEqual([1, 2, 3, 4]);
    expect(expandOrderedSet("", 100)).toEqual([]);
  });

  it("stops at the limit and skips what is not a number, so a hostile answer cannot exhaust memory", () => {
    expect(expandOrderedSet("1:4294967295", 3)).toEqual([1, 2, 3]);
    expect(expandOrderedSet("x,0,2,*:3,1e400", 10)).toEqual([2]);
  });
});

describe("parseEsortResponse", () => {
  it("reads an ALL answer (Dovecot's form, with the TAG correlator and UID)", () => {
    const attributes = [[atom("TAG"), { type: "STRING", value: "B" }], atom("UID"), atom("ALL"), seq("311,310,298:299")];
    expect(parseEsortResponse(attributes, 1000)).toEqual([311, 310, 298, 299]);
  });

  it("reads a PARTIAL answer, and NIL past the end as nothing", () => {
    const partial = [atom("UID"), atom("PARTIAL"), [seq("1:3"), seq("7,5,6")], atom("COUNT"), atom("311")];
    expect(parseEsortResponse(partial, 1000)).toEqual([7, 5, 6]);
    expect(parseEsortResponse([atom("UID"), atom("PARTIAL"), [seq("400:450"), null]], 1000)).toEqual([]);
  });
});

describe("parseSortResponse", () => {
  it("reads the numbers of a plain SORT line", () => {
    expect(parseSortResponse([atom("9"), atom("2"), atom("x"), atom("5")], 100)).toEqual([9, 2, 5]);
  });
});

describe("sortSupport", () => {
  it("uses PARTIAL only where CONTEXT=SORT or PARTIAL is advertised, and DISPLAYFROM with SORT=DISPLAY", () => {
    const dovecot = new Set(["IMAP4rev1", "SORT", "SORT=DISPLAY", "ESORT", "CONTEXT=SEARCH"]);
    expect(sortSupport(dovecot)).toEqual({ sort: true, esort: true, partial: false, display: true });
    expect(sortSupport(new Set(["SORT", "ESORT", "CONTEXT=SORT"])).partial).toBe(true);
    expect(sortSupport(new Set(["IMAP4rev1", "ESEARCH"])).sort).toBe(false);
  });
});
