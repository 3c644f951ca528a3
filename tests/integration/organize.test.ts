import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImapFlow } from "imapflow";
import { actOnMessages } from "@/lib/mail/imap/act-on-messages";
import { createFolder } from "@/lib/mail/imap/create-folder";
import { deleteFolder } from "@/lib/mail/imap/delete-folder";
import { emptyTrash } from "@/lib/mail/imap/empty-trash";
import { listFolders } from "@/lib/mail/imap/list-folders";
import { listMessageUids } from "@/lib/mail/imap/list-message-uids";
import { listMessages } from "@/lib/mail/imap/list-messages";
import { closeAccountConnections } from "@/lib/mail/imap/pool";
import { renameFolder } from "@/lib/mail/imap/rename-folder";
import { setFolderSubscription } from "@/lib/mail/imap/set-folder-subscription";
import { accountFor, rawClient, requireStackEnv, uidValidityOf, users, wireFolderNames } from "./support";

// carol's mailbox: alice's seeded mail is read by other tests and must stay as it is.
requireStackEnv();
const account = accountFor(users.carol);
const run = randomBytes(3).toString("hex");
let raw: ImapFlow;

function message(subject: string): string {
  return `From: Test <test@example.test>\r\nTo: carol@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${randomBytes(6).toString("hex")}@example.test>\r\n\r\nBody of ${subject}\r\n`;
}

async function append(folder: string, subjects: string[], flags: string[] = []): Promise<number[]> {
  const uids: number[] = [];
  for (const subject of subjects) {
    const result = await raw.append(folder, message(subject), flags);
    if (!result || !result.uid) throw new Error("append without APPENDUID");
    uids.push(result.uid);
  }
  return uids;
}

async function subjectsIn(folder: string): Promise<Map<string, Set<string>>> {
  const lock = await raw.getMailboxLock(folder);
  const out = new Map<string, Set<string>>();
  try {
    // This connection may have had the folder selected already: catch up with what the app did.
    await raw.noop();
    // FETCH 1:* on an empty folder is an error (there is no message 1): ask only when there are some.
    // Any other error fails the test: a check that something "is gone" must not pass on a failed FETCH.
    if (raw.mailbox && raw.mailbox.exists > 0) {
      for await (const m of raw.fetch("1:*", { envelope: true, flags: true })) out.set(m.envelope?.subject ?? "", m.flags ?? new Set());
    }
  } finally {
    lock.release();
  }
  return out;
}

async function rawPaths(): Promise<Map<string, boolean | undefined>> {
  return new Map((await raw.list()).map((e) => [e.path, e.subscribed]));
}

beforeAll(async () => {
  raw = await rawClient(users.carol);
});
afterAll(async () => {
  await raw.logout();
  await closeAccountConnections(account.key);
});

describe("folders", () => {
  const top = `Organize ${run}`;

  it("creates a top-level folder and a nested one with a non-ASCII name, both subscribed", async () => {
    await createFolder(account, { name: top, parentPath: null });
    const nested = await createFolder(account, { name: "Überweisungen 2026 ✓", parentPath: top });
    expect(nested.path).toBe(`${top}/Überweisungen 2026 ✓`);
    const paths = await rawPaths();
    expect(paths.get(top)).toBe(true);
    expect(paths.get(nested.path)).toBe(true);
    // On the wire the name is modified UTF-7 (RFC 3501 §5.1.3): Ü is &ANw-, ✓ is &JxM-.
    expect(await wireFolderNames(raw)).toContain(`${top}/&ANw-berweisungen 2026 &JxM-`);
  });

  it("refuses a name with the delimiter, an existing name, and changes to special folders", async () => {
    await expect(createFolder(account, { name: "a/b", parentPath: null })).rejects.toMatchObject({ code: "FOLDER_NAME_HAS_DELIMITER" });
    await expect(createFolder(account, { name: top, parentPath: null })).rejects.toMatchObject({ code: "FOLDER_EXISTS" });
    await expect(renameFolder(account, { path: "Trash", name: "Bin" })).rejects.toMatchObject({ code: "FOLDER_PROTECTED" });
    await expect(deleteFolder(account, { path: "INBOX", permanent: true })).rejects.toMatchObject({ code: "FOLDER_PROTECTED" });
    await expect(deleteFolder(account, { path: "Sent", permanent: false })).rejects.toMatchObject({ code: "FOLDER_PROTECTED" });
    await expect(renameFolder(account, { path: top, parentPath: `${top}/Überweisungen 2026 ✓` })).rejects.toMatchObject({
      code: "FOLDER_MOVE_INVALID",
    });
    expect((await rawPaths()).has("a/b")).toBe(false);
  });

  it("renames a folder with its subfolder and carries the subscriptions over", async () => {
    const renamed = `Renamed ${run}`;
    await renameFolder(account, { path: top, name: renamed });
    const paths = await rawPaths();
    expect(paths.has(top)).toBe(false);
    expect(paths.get(renamed)).toBe(true);
    expect(paths.get(`${renamed}/Überweisungen 2026 ✓`)).toBe(true);
    const tree = await listFolders(account);
    expect(tree.find((f) => f.path === `${renamed}/Überweisungen 2026 ✓`)?.parentPath).toBe(renamed);
    // Back, for the next tests.
    await renameFolder(account, { path: renamed, name: top });
  });

  it("moves a folder under another and back to the top level", async () => {
    const other = (await createFolder(account, { name: `Other ${run}`, parentPath: null })).path;
    const moved = await renameFolder(account, { path: other, parentPath: top });
    expect(moved.path).toBe(`${top}/Other ${run}`);
    expect((await rawPaths()).has(moved.path)).toBe(true);
    const back = await renameFolder(account, { path: moved.path, parentPath: null });
    expect(back.path).toBe(other);
    await deleteFolder(account, { path: other, permanent: true });
  });

  it("unsubscribes (gone from the tree, still in the full listing) and subscribes again", async () => {
    const path = `${top}/Überweisungen 2026 ✓`;
    await setFolderSubscription(account, { path, subscribed: false });
    expect((await rawPaths()).get(path)).toBeFalsy();
    expect((await listFolders(account)).some((f) => f.path === path)).toBe(false);
    expect((await listFolders(account, { includeUnsubscribed: true })).find((f) => f.path === path)?.subscribed).toBe(false);
    await setFolderSubscription(account, { path, subscribed: true });
    expect((await rawPaths()).get(path)).toBe(true);
  });

  it("deletes a folder after moving its messages to Trash, and refuses one with subfolders", async () => {
    const path = `${top}/Überweisungen 2026 ✓`;
    await append(path, [`del-a ${run}`, `del-b ${run}`]);
    await expect(deleteFolder(account, { path: top, permanent: false })).rejects.toMatchObject({ code: "FOLDER_HAS_CHILDREN" });
    const result = await deleteFolder(account, { path, permanent: false });
    expect(result.movedToTrash).toBe(2);
    expect((await rawPaths()).has(path)).toBe(false);
    const trash = await subjectsIn("Trash");
    expect(trash.has(`del-a ${run}`) && trash.has(`del-b ${run}`)).toBe(true);
    await deleteFolder(account, { path: top, permanent: true });
    expect((await rawPaths()).has(top)).toBe(false);
  });

  it("says the folder no longer exists when another client removed it", async () => {
    const path = (await createFolder(account, { name: `Gone ${run}`, parentPath: null })).path;
    await raw.mailboxDelete(path);
    await expect(deleteFolder(account, { path, permanent: false })).rejects.toMatchObject({ code: "FOLDER_NOT_FOUND" });
    await expect(renameFolder(account, { path, name: "x" })).rejects.toMatchObject({ code: "FOLDER_NOT_FOUND" });
  });
});

describe("message actions", () => {
  const source = `Actions ${run}`;
  const target = `Target ${run}`;

  beforeAll(async () => {
    await raw.mailboxCreate(source);
    await raw.mailboxCreate(target);
  });

  it("flags and marks read a set, touching only the chosen messages", async () => {
    const uids = await append(source, [`f1 ${run}`, `f2 ${run}`, `f3 ${run}`]);
    const uidValidity = await uidValidityOf(raw, source);
    await actOnMessages(account, { folder: source, uidValidity, uids: uids.slice(0, 2) }, { type: "flags", flagged: true, seen: true });
    const state = await subjectsIn(source);
    expect(state.get(`f1 ${run}`)?.has("\\Flagged")).toBe(true);
    expect(state.get(`f2 ${run}`)?.has("\\Seen")).toBe(true);
    expect(state.get(`f3 ${run}`)?.has("\\Flagged")).toBe(false);
    expect(state.get(`f3 ${run}`)?.has("\\Seen")).toBe(false);
  });

  it("moves with the new UIDs reported, and undoing with them restores the messages", async () => {
    const uids = await append(source, [`m1 ${run}`, `m2 ${run}`], ["\\Flagged"]);
    const uidValidity = await uidValidityOf(raw, source);
    const moved = await actOnMessages(account, { folder: source, uidValidity, uids }, { type: "move", destination: target });
    expect(moved.destination).toBe(target);
    expect(moved.uidMap.map(([from]) => from).sort()).toEqual([...uids].sort());
    expect(moved.destinationUidValidity).toBe(await uidValidityOf(raw, target));
    const there = await subjectsIn(target);
    expect(there.get(`m1 ${run}`)?.has("\\Flagged")).toBe(true);
    expect((await subjectsIn(source)).has(`m1 ${run}`)).toBe(false);

    const back = await actOnMessages(
      account,
      { folder: target, uidValidity: moved.destinationUidValidity!, uids: moved.uidMap.map(([, to]) => to) },
      { type: "move", destination: source },
    );
    expect(back.uidMap).toHaveLength(2);
    expect((await subjectsIn(source)).has(`m2 ${run}`)).toBe(true);
    expect((await subjectsIn(target)).has(`m2 ${run}`)).toBe(false);
  });

  it("copies, archives, junks and trashes into the special folders", async () => {
    const [c, a, j, t] = await append(source, [`c ${run}`, `a ${run}`, `j ${run}`, `t ${run}`]);
    const uidValidity = await uidValidityOf(raw, source);
    const set = (uid: number | undefined) => ({ folder: source, uidValidity, uids: [uid!] });
    const copied = await actOnMessages(account, set(c), { type: "copy", destination: target });
    expect(copied.uidMap).toHaveLength(1);
    await actOnMessages(account, set(a), { type: "archive" });
    await actOnMessages(account, set(j), { type: "junk" });
    await actOnMessages(account, set(t), { type: "trash" });
    expect((await subjectsIn(source)).has(`c ${run}`)).toBe(true);
    expect((await subjectsIn(target)).has(`c ${run}`)).toBe(true);
    expect((await subjectsIn("Archive")).has(`a ${run}`)).toBe(true);
    expect((await subjectsIn("Junk")).has(`j ${run}`)).toBe(true);
    expect((await subjectsIn("Trash")).has(`t ${run}`)).toBe(true);
    const left = await subjectsIn(source);
    expect(left.has(`a ${run}`) || left.has(`j ${run}`) || left.has(`t ${run}`)).toBe(false);
  });

  it("deletes permanently only the chosen messages, leaving another client's \\Deleted ones", async () => {
    const [mine, theirs] = await append(source, [`p-mine ${run}`, `p-theirs ${run}`]);
    // Another client marked this one \Deleted without expunging: it must survive our delete.
    const lock = await raw.getMailboxLock(source);
    await raw.messageFlagsAdd(String(theirs), ["\\Deleted"], { uid: true });
    lock.release();
    const uidValidity = await uidValidityOf(raw, source);
    await actOnMessages(account, { folder: source, uidValidity, uids: [mine!] }, { type: "deletePermanently" });
    const left = await subjectsIn(source);
    expect(left.has(`p-mine ${run}`)).toBe(false);
    expect(left.get(`p-theirs ${run}`)?.has("\\Deleted")).toBe(true);
  });

  it("refuses stale UIDs (another UIDVALIDITY) and a move into the same folder", async () => {
    const [uid] = await append(source, [`stale ${run}`]);
    await expect(
      actOnMessages(account, { folder: source, uidValidity: "1", uids: [uid!] }, { type: "trash" }),
    ).rejects.toMatchObject({ code: "FOLDER_CHANGED" });
    const uidValidity = await uidValidityOf(raw, source);
    await expect(
      actOnMessages(account, { folder: source, uidValidity, uids: [uid!] }, { type: "move", destination: source }),
    ).rejects.toMatchObject({ code: "SAME_FOLDER" });
    expect((await subjectsIn(source)).has(`stale ${run}`)).toBe(true);
  });

  it("says so when the destination was removed by another client, and leaves the messages", async () => {
    const [uid] = await append(source, [`orphan ${run}`]);
    const gone = `Gone target ${run}`;
    await raw.mailboxCreate(gone);
    await raw.mailboxDelete(gone);
    const uidValidity = await uidValidityOf(raw, source);
    for (const type of ["move", "copy"] as const) {
      await expect(
        actOnMessages(account, { folder: source, uidValidity, uids: [uid!] }, { type, destination: gone }),
      ).rejects.toMatchObject({ code: "DESTINATION_NOT_FOUND" });
    }
    expect((await subjectsIn(source)).has(`orphan ${run}`)).toBe(true);
  });

  it("sees mail that arrived since the pooled connection last had the folder selected", async () => {
    const first = await listMessages(account, { folder: source, page: 0, pageSize: 5 });
    await append(source, [`late ${run}`]);
    // Same pooled connection, folder still selected: without a NOOP, EXISTS would be stale.
    const again = await listMessages(account, { folder: source, page: 0, pageSize: 5 });
    expect(again.total).toBe(first.total + 1);
    expect(again.messages[0]?.subject).toBe(`late ${run}`);
  });

  it("lists every UID of a folder newest first, and empties Trash", async () => {
    const all = await listMessageUids(account, source);
    const status = await raw.status(source, { messages: true });
    expect(all.uids).toHaveLength(status && status.messages !== undefined ? status.messages : -1);
    expect([...all.uids].sort((a, b) => b - a)).toEqual(all.uids);

    const result = await emptyTrash(account);
    expect(result.deleted).toBeGreaterThan(0);
    const trash = await raw.status("Trash", { messages: true });
    expect(trash && trash.messages).toBe(0);
  });
});
