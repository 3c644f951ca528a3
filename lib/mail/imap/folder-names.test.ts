import { describe, expect, it } from "vitest";
import { checkFolderName, childPath, isSameOrInside } from "./folder-names";

describe("checkFolderName", () => {
  it("keeps non-ASCII names and inner spaces, trims the ends", () => {
    expect(checkFolderName("  Entwürfe für Köln ", "/")).toBe("Entwürfe für Köln");
    expect(checkFolderName("日本語 & more", "/")).toBe("日本語 & more");
  });

  it("refuses the delimiter with a message naming it", () => {
    expect(() => checkFolderName("a/b", "/")).toThrow(/cannot contain "\/"/);
    expect(() => checkFolderName("a.b", ".")).toThrow(expect.objectContaining({ code: "FOLDER_NAME_HAS_DELIMITER" }));
    // With "/" as the delimiter, a dot is an ordinary character.
    expect(checkFolderName("v1.2", "/")).toBe("v1.2");
  });

  it("refuses empty names, wildcards, control characters and INBOX", () => {
    expect(() => checkFolderName("   ", "/")).toThrow(expect.objectContaining({ code: "FOLDER_NAME_INVALID" }));
    expect(() => checkFolderName("50%", "/")).toThrow(expect.objectContaining({ code: "FOLDER_NAME_INVALID" }));
    expect(() => checkFolderName("a*", "/")).toThrow(expect.objectContaining({ code: "FOLDER_NAME_INVALID" }));
    expect(() => checkFolderName("tab\there", "/")).toThrow(expect.objectContaining({ code: "FOLDER_NAME_INVALID" }));
    expect(() => checkFolderName("inbox", "/")).toThrow(expect.objectContaining({ code: "FOLDER_EXISTS" }));
  });
});

describe("childPath and isSameOrInside", () => {
  it("joins with the delimiter, or puts the name under the namespace prefix at the top", () => {
    expect(childPath("Projects", "Köln", "/")).toBe("Projects/Köln");
    expect(childPath(null, "Köln", ".", "INBOX.")).toBe("INBOX.Köln");
  });

  it("tells descendants from siblings that share a prefix", () => {
    expect(isSameOrInside("Projects/Letterbox", "Projects", "/")).toBe(true);
    expect(isSameOrInside("Projects", "Projects", "/")).toBe(true);
    expect(isSameOrInside("Projects2", "Projects", "/")).toBe(false);
  });
});
