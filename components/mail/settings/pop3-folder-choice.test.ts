import { describe, expect, it } from "vitest";
import type { Folder } from "@/lib/mail/types";
import { chosenFolder, defaultFolderName, initialFolderChoice, resolveChoice } from "./pop3-folder-choice";

const folder = (path: string): Folder => ({
  path,
  name: path.split("/").at(-1)!,
  delimiter: "/",
  parentPath: path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : null,
  role: null,
  total: 0,
  unread: 0,
  subscribed: true,
  selectable: true,
});

describe("a POP3 account's destination folder", () => {
  it("is by default a new folder named after the account: the login when it is an address, else login@host", () => {
    expect(defaultFolderName("dave@example.test", "127.0.0.1", "/")).toBe("dave@example.test");
    expect(defaultFolderName(" dave ", "pop.old.example", "/")).toBe("dave@pop.old.example");
    expect(defaultFolderName("dave", "", "/")).toBe("dave");
    // Where "." separates levels, the name must not nest.
    expect(defaultFolderName("dave", "pop.old.example", ".")).toBe("dave@pop-old-example");
  });

  it("follows the account's name until the user names it or picks a folder", () => {
    const fresh = initialFolderChoice("");
    expect(chosenFolder(fresh, "dave@example.test")).toBe("dave@example.test");
    expect(chosenFolder({ selected: "", typedName: " From Dave " }, "dave@example.test")).toBe("From Dave");
    expect(chosenFolder({ selected: "Lists/Old", typedName: "ignored" }, "dave@example.test")).toBe("Lists/Old");
  });

  it("keeps a saved folder that exists, and offers to recreate one that is gone", () => {
    const folders = [folder("INBOX"), folder("Lists"), folder("Lists/Old")];
    expect(resolveChoice(initialFolderChoice("Lists/Old"), folders)).toEqual({ selected: "Lists/Old", typedName: null });
    expect(resolveChoice(initialFolderChoice("Gone"), folders)).toEqual({ selected: "", typedName: "Gone" });
    // Before the folders are known, the saved one stands.
    expect(resolveChoice(initialFolderChoice("Gone"), null)).toEqual({ selected: "Gone", typedName: null });
  });
});
