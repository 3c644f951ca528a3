import { describe, expect, it } from "vitest";
import type { Folder } from "@/lib/mail/types";
import { folderTrail } from "./folder-tree";

function folder(path: string, parentPath: string | null, name: string, role: Folder["role"] = null): Folder {
  return { path, name, delimiter: ".", parentPath, role, total: 0, unread: 0, subscribed: true, selectable: true };
}

// A server whose personal namespace is "INBOX." (RFC 2342): listFolders gives top-level folders no parent.
const folders = [
  folder("INBOX", null, "INBOX", "inbox"),
  folder("INBOX.Sent", null, "Sent", "sent"),
  folder("INBOX.Projects", null, "Projects"),
  folder("INBOX.Projects.2026", "INBOX.Projects", "2026"),
  folder("INBOX.Projects.2026.Q1", "INBOX.Projects.2026", "Q1"),
  folder("INBOX.Projects.Sent", "INBOX.Projects", "Sent", "sent"),
];

describe("folderTrail", () => {
  it("names a folder by its ancestors' names, never by the server's path and its prefix", () => {
    expect(folders.map((f) => folderTrail(f, folders))).toEqual([
      "Inbox",
      "Sent",
      "Projects",
      "Projects › 2026",
      "Projects › 2026 › Q1",
      // A nested folder of a special name is named as it is, like in the tree.
      "Projects › Sent",
    ]);
  });

  it("takes a map as well, and stops at a parent that is not listed", () => {
    const byPath = new Map(folders.filter((f) => f.path !== "INBOX.Projects").map((f) => [f.path, f]));
    expect(folderTrail(folders[4]!, byPath)).toBe("2026 › Q1");
  });
});
