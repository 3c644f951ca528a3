import { randomBytes } from "node:crypto";
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { actOnMessages } from "@/lib/mail/imap/act-on-messages";
import { createFolder } from "@/lib/mail/imap/create-folder";
import { deleteFolder } from "@/lib/mail/imap/delete-folder";
import { listMessages } from "@/lib/mail/imap/list-messages";
import { closeAccountConnections } from "@/lib/mail/imap/pool";
import { renameFolder } from "@/lib/mail/imap/rename-folder";
import { accountFor, rawClient, requireStackEnv, users } from "./support";

// Issue 13: user input never reaches IMAP unquoted. Folder names with quotes, backslashes, CR/LF,
// {literal} syntax and NUL go through every folder-taking use case; the server's own view (LIST over
// the test's connection) shows that each was refused or stored as exactly that name, and that no
// command hidden in a name ran (no "pwned" folder, INBOX still there).
requireStackEnv();
const run = randomBytes(3).toString("hex");
const PWNED = `pwned-${run}`;
const account = accountFor(users.carol);
let raw: ImapFlow;

const HOSTILE = [
  `q"uote ${run}`,
  `back\\slash ${run}`,
  `a" "b ${run}`,
  `"${run}`,
  `tail\\ ${run}\\`,
  `{5}\r\n${PWNED}`,
  `x {3+}\r\nA1 CREATE ${PWNED}`,
  `crlf ${run}\r\nA1 CREATE ${PWNED}`,
  `lf ${run}\nA1 CREATE ${PWNED}`,
  `nul ${run}\u0000A1 CREATE ${PWNED}`,
  `{${PWNED.length}}${run}`,
  `brace {literal} ${run}`,
  `) (${run}`,
  `~/../${run}`,
];

async function serverNames(): Promise<string[]> {
  return (await raw.list()).map((f) => f.path);
}

async function outcome(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "OK";
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${(error as Error)?.message}`;
  }
}

beforeAll(async () => {
  raw = await rawClient(users.carol);
});
afterAll(async () => {
  for (const name of await serverNames()) if (name.includes(run)) await raw.mailboxDelete(name).catch(() => undefined);
  await raw.logout();
  await closeAccountConnections(account.key);
});

describe("folder names with IMAP syntax in them", () => {
  it("are refused or created as exactly that name, and no hidden command runs", async () => {
    const results: Record<string, string> = {};
    for (const name of HOSTILE) {
      results[JSON.stringify(name)] = await outcome(createFolder(account, { name, parentPath: null }));
    }
    const names = await serverNames();
    for (const name of HOSTILE) {
      const result = results[JSON.stringify(name)];
      if (result === "OK") expect(names, `created ${JSON.stringify(name)}`).toContain(name.trim());
      else expect(result, JSON.stringify(name)).toMatch(/^FOLDER_NAME_INVALID$|^FOLDER_NAME_HAS_DELIMITER$/);
    }
    // Control characters are refused before anything reaches the server.
    for (const name of HOSTILE.filter((n) => /[\u0000-\u001f]/.test(n))) expect(results[JSON.stringify(name)]).toBe("FOLDER_NAME_INVALID");
    expect(names.some((n) => n.includes(PWNED) && !n.includes("{"))).toBe(false);
    expect(names).toContain("INBOX");
  });

  it("as a folder to open, rename, delete or act in: refused or not found, never another folder", async () => {
    for (const folder of HOSTILE) {
      const opened = await outcome(listMessages(account, { folder, page: 0, pageSize: 5 }));
      if (opened === "OK") expect((await serverNames()).includes(folder), JSON.stringify(folder)).toBe(true);
      else expect(opened, JSON.stringify(folder)).toMatch(/^FOLDER_NOT_FOUND$|^BAD_REQUEST$|^FOLDER_NAME_INVALID$/);
      const acted = await outcome(actOnMessages(account, { folder, uidValidity: "1", uids: [1] }, { type: "flags", seen: true }));
      expect(acted, JSON.stringify(folder)).not.toMatch(/^OK$|not an AppError/);
      const existed = (await serverNames()).includes(folder);
      const renamed = await outcome(renameFolder(account, { path: folder, name: `renamed ${HOSTILE.indexOf(folder)} ${run}` }));
      if (existed) expect(renamed, JSON.stringify(folder)).toBe("OK");
      else expect(renamed, JSON.stringify(folder)).toMatch(/^FOLDER_NOT_FOUND$|^FOLDER_NAME_INVALID$/);
    }
    const names = await serverNames();
    expect(names.some((n) => n.includes(PWNED) && !n.includes("{"))).toBe(false);
    expect(names).toContain("INBOX");
    // The session still works afterwards.
    expect((await listMessages(account, { folder: "INBOX", page: 0, pageSize: 5 })).folder).toBe("INBOX");
  });

  it("created ones can be deleted again by the same name", async () => {
    for (const name of (await serverNames()).filter((n) => n.includes(run) && !/[\u0000-\u001f]/.test(n))) {
      await deleteFolder(account, { path: name, permanent: true });
    }
    expect((await serverNames()).filter((n) => n.includes(run))).toEqual([]);
  });
});
