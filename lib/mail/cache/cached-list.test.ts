import { describe, expect, it, vi } from "vitest";
import { liveSessionCount, saveCredentials } from "@/lib/auth/credential-store";
import type { MessageFlags, MessageSortKey, MessageSummary } from "@/lib/mail/types";
import { getStore, type Store } from "@/lib/store";
import { evictFolder, loginLru, purgeLogin, totalCachedBytes, withFolderLease, type CacheLimits } from "./cache-budget";
import { listConversationsThroughCache, type ConversationSource } from "./cached-conversations";
import { listThroughCache, type CachedListInput } from "./cached-list";
import { metaKey, rowsCollection, type CachedRow, type FolderMeta, type FolderToken } from "./folder-cache";
import { sweepListCache } from "./sweep-list-cache-job";
import { decodeUidRuns, encodeUidRuns } from "./uid-runs";

/** A folder as a server would hold it, answering like sync-folder.ts does, counting what it is asked. */
class FakeFolder implements ConversationSource {
  uidValidity = "100";
  uidNext = 1;
  modseq = 1;
  condstore = true;
  /** QRESYNC (RFC 7162): changesSince answers, with the UIDs expunged since a modseq. */
  qresync = false;
  /** When each UID was expunged (modseq), for VANISHED (EARLIER). */
  expunged = new Map<number, number>();
  canSort = true;
  profile = "sort,displayfrom,preview";
  messages = new Map<number, { date: number; flags: MessageFlags; modseq: number; subject: string }>();
  calls: string[] = [];
  asked = { rows: 0, sortedUids: 0 };

  add(count: number, date = (uid: number) => uid): number[] {
    const added: number[] = [];
    for (let i = 0; i < count; i++) {
      const uid = this.uidNext++;
      this.modseq++;
      this.messages.set(uid, { date: date(uid), flags: flags(), modseq: this.modseq, subject: `Message ${uid}` });
      added.push(uid);
    }
    return added;
  }
  setFlags(uid: number, change: Partial<MessageFlags>) {
    const m = this.messages.get(uid)!;
    this.modseq++;
    m.flags = { ...m.flags, ...change };
    m.modseq = this.modseq;
  }
  expunge(uid: number) {
    this.modseq++;
    this.messages.delete(uid);
    this.expunged.set(uid, this.modseq);
  }
  recreate() {
    this.uidValidity = String(Number(this.uidValidity) + 1);
    this.messages.clear();
    this.uidNext = 1;
  }

  async status(): Promise<FolderToken> {
    this.calls.push("status");
    return {
      uidValidity: this.uidValidity,
      uidNext: this.uidNext,
      messages: this.messages.size,
      highestModseq: this.condstore ? String(this.modseq) : null,
    };
  }
  async order(key: MessageSortKey) {
    this.calls.push(`order:${key}`);
    return this.sorted(key, [...this.messages.keys()]);
  }
  /** RFC 5256: by the key, ties by sequence number (= by UID); expunged UIDs are not in the answer. */
  sorted(key: MessageSortKey, uids: readonly number[]) {
    const present = uids.filter((uid) => this.messages.has(uid));
    if (key === "arrival") return present.sort((a, b) => a - b);
    return present.sort((a, b) => this.messages.get(a)!.date - this.messages.get(b)!.date || a - b);
  }
  async sortSome(key: Exclude<MessageSortKey, "arrival">, uids: readonly number[]) {
    this.calls.push(`sortSome:${key}`);
    this.asked.sortedUids += uids.length;
    return this.sorted(key, uids);
  }
  async changesSince(modseq: string) {
    if (!this.qresync) return null;
    this.calls.push("changesSince");
    const since = Number(modseq);
    const flags = new Map([...this.messages].filter(([, m]) => m.modseq > since).map(([uid, m]) => [uid, m.flags]));
    const vanished = [...this.expunged].filter(([, at]) => at > since).map(([uid]) => [uid, uid] as const);
    return { flags, vanished: vanished.sort((a, b) => a[0] - b[0]) };
  }
  async changedFlags(modseq: string) {
    this.calls.push("changedFlags");
    if (!this.condstore) return null;
    return new Map([...this.messages].filter(([, m]) => m.modseq > Number(modseq)).map(([uid, m]) => [uid, m.flags]));
  }
  async flags(uids: number[]) {
    this.calls.push("flags");
    return new Map(uids.flatMap((uid) => (this.messages.has(uid) ? [[uid, this.messages.get(uid)!.flags] as const] : [])));
  }
  /** Conversations: messages whose subjects share a thread tag ("Message 3 [t1]"); one each otherwise. */
  async threads() {
    this.calls.push("threads");
    const groups = new Map<string, number[]>();
    for (const [uid, m] of [...this.messages].sort((a, b) => a[0] - b[0])) {
      const tag = /\[(\w+)\]/.exec(m.subject)?.[1] ?? `solo${uid}`;
      groups.set(tag, [...(groups.get(tag) ?? []), uid]);
    }
    return [...groups.values()].sort((a, b) => Math.max(...a) - Math.max(...b));
  }
  async conversationRows(threads: number[][]): Promise<MessageSummary[]> {
    this.calls.push("conversationRows");
    const rows = this.summaries(threads.flat());
    return threads.map((t) => {
      const members = rows.filter((r) => t.includes(r.uid)).sort((a, b) => b.uid - a.uid);
      return { ...members[0]!, conversation: { id: `c${t[0]}`, uids: members.map((m) => m.uid), unreadUids: members.filter((m) => !m.flags.seen).map((m) => m.uid), participants: [] } };
    });
  }
  async rows(uids: number[]): Promise<CachedRow[]> {
    this.calls.push("rows");
    this.asked.rows += uids.length;
    return this.summaries(uids);
  }
  summaries(uids: number[]): CachedRow[] {
    return uids.flatMap((uid) => {
      const m = this.messages.get(uid);
      if (!m) return [];
      return [{ uid, flags: m.flags, from: [{ name: "Sender", address: "s@example.test" }], to: [], subject: m.subject, date: new Date(m.date * 1000).toISOString(), size: 1000, hasAttachments: false, preview: `Preview of ${uid}` }];
    });
  }
}

const flags = (): MessageFlags => ({ seen: false, flagged: false, answered: false, draft: false });
const roomy: CacheLimits = { maxBytesPerLogin: 50 * 1024 * 1024, maxBytes: 500 * 1024 * 1024 };
let n = 0;
const newLogin = () => `user${++n}-${Date.now()}@example.test`;

async function list(store: Store, login: string, source: FakeFolder, input: Partial<CachedListInput> = {}, limits = roomy) {
  source.calls = [];
  const page = await listThroughCache(store, login, source, { folder: "INBOX", page: 0, pageSize: 5, ...input }, limits);
  if (!page) throw new Error("the cache declined");
  return page;
}
const uidsOf = (page: { messages: { uid: number }[] }) => page.messages.map((m) => m.uid);

describe("uid runs", () => {
  it("writes runs compactly in their direction and reads back exactly", () => {
    const uids = [1, 2, 3, 4, 9, 7, 6, 5, 20, 22, 23];
    expect(encodeUidRuns(uids)).toBe("1:4,9,7:5,20,22:23");
    expect(decodeUidRuns(encodeUidRuns(uids))).toEqual(uids);
    expect(encodeUidRuns(Array.from({ length: 1000 }, (_, i) => i + 1))).toBe("1:1000");
    expect(decodeUidRuns("")).toEqual([]);
  });
});

describe("listThroughCache", () => {
  it("fills on the first list, then answers from the store after one STATUS", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.add(12);
    const cold = await list(store, login, folder);
    expect(uidsOf(cold)).toEqual([12, 11, 10, 9, 8]);
    expect(cold.fromCache).toBe(false);
    expect(folder.calls).toEqual(["status", "order:date", "rows"]);

    const warm = await list(store, login, folder);
    expect(warm).toEqual({ ...cold, fromCache: true });
    expect(folder.calls).toEqual(["status"]);
    // Another page of the same order: its rows are fetched once, the order is not asked again.
    expect(uidsOf(await list(store, login, folder, { page: 2 }))).toEqual([2, 1]);
    expect(folder.calls).toEqual(["status", "rows"]);
    expect(uidsOf(await list(store, login, folder, { page: 2 }))).toEqual([2, 1]);
    expect(folder.calls).toEqual(["status"]);
  });

  it("follows flags changed elsewhere through CHANGEDSINCE, without asking the order again", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.add(8);
    await list(store, login, folder);
    folder.setFlags(7, { seen: true, flagged: true });
    const page = await list(store, login, folder);
    expect(folder.calls).toEqual(["status", "changedFlags"]);
    expect(page.messages.find((m) => m.uid === 7)?.flags).toMatchObject({ seen: true, flagged: true });
    // And the patched row is what the next warm answer holds.
    expect((await list(store, login, folder)).messages.find((m) => m.uid === 7)?.flags.seen).toBe(true);
    expect(folder.calls).toEqual(["status"]);
  });

  it("shows new mail, drops expunged messages with their rows, and keeps pages tiled", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.add(10);
    await list(store, login, folder);
    folder.expunge(9);
    folder.add(2);
    const page = await list(store, login, folder);
    expect(folder.calls).toContain("order:date");
    expect(uidsOf(page)).toEqual([12, 11, 10, 8, 7]);
    expect(page.total).toBe(11);
    expect(await store.records.get(rowsCollection(login, "INBOX", "100"), "9")).toBeNull();
    expect(uidsOf(await list(store, login, folder, { page: 1 }))).toEqual([6, 5, 4, 3, 2]);
    expect(uidsOf(await list(store, login, folder, { page: 2 }))).toEqual([1]);
  });

  it("places new mail by the server's order, not by arrival (a message with an old date)", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.add(6, (uid) => uid * 10);
    await list(store, login, folder);
    folder.add(1, () => 15); // dated between 1 and 2
    expect(uidsOf(await list(store, login, folder, { order: "asc" }))).toEqual([1, 7, 2, 3, 4]);
  });

  it("drops the folder's cache when UIDVALIDITY changes: no UID of the old folder is shown", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.add(5);
    await list(store, login, folder);
    const oldRows = rowsCollection(login, "INBOX", "100");
    expect(await store.records.count(oldRows)).toBe(5);
    folder.recreate();
    folder.add(2);
    folder.setFlags(1, { seen: true });
    const page = await list(store, login, folder);
    expect(page.uidValidity).toBe("101");
    expect(uidsOf(page)).toEqual([2, 1]);
    expect(page.messages[1]!.flags.seen).toBe(true);
    expect(await store.records.count(oldRows)).toBe(0);
  });

  it("drops the cache when the server's profile changes (sort criteria, previews)", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.add(3);
    await list(store, login, folder);
    folder.profile = "sort,from,snippet";
    await list(store, login, folder);
    expect(folder.calls).toEqual(["status", "order:date", "rows"]);
  });

  it("without CONDSTORE asks the page's flags every time, and sees a change no counter shows", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.condstore = false;
    folder.add(6);
    await list(store, login, folder);
    folder.setFlags(5, { seen: true });
    const page = await list(store, login, folder);
    expect(folder.calls).toEqual(["status", "flags"]);
    expect(page.messages.find((m) => m.uid === 5)?.flags.seen).toBe(true);
  });

  it("falls back to arrival order where the server cannot sort", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.canSort = false;
    folder.add(4, (uid) => 100 - uid);
    const page = await list(store, login, folder);
    expect(page.sort).toBe("arrival");
    expect(uidsOf(page)).toEqual([4, 3, 2, 1]);
    expect(folder.calls).toEqual(["status", "order:arrival", "rows"]);
  });

  it("reads page 1 and page 1,000 of a 100,000-message folder with a bounded number of store reads", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.add(100_000);
    await list(store, login, folder, { pageSize: 50 });
    await list(store, login, folder, { pageSize: 50, page: 1000 });
    const read: number[] = [];
    const counting: Store = {
      ...store,
      records: { ...store.records, getMany: (c, ids) => (read.push(ids.length), store.records.getMany(c, ids)), scan: () => Promise.reject(new Error("no scans when warm")) },
    };
    const first = await list(counting, login, folder, { pageSize: 50 });
    const far = await list(counting, login, folder, { pageSize: 50, page: 1000 });
    expect(uidsOf(first)[0]).toBe(100_000);
    expect(uidsOf(far)).toEqual(Array.from({ length: 50 }, (_, i) => 50_000 - i));
    expect(folder.calls).toEqual(["status"]);
    // Each page: one or two order chunks, then its 50 rows.
    expect(read.every((ids) => ids <= 50)).toBe(true);
    expect(read.length).toBe(4);
  });

  it("declines (the caller lists directly) while another request writes the folder", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.add(3);
    const answer = await withFolderLease(store, login, "INBOX", () =>
      listThroughCache(store, login, folder, { folder: "INBOX", page: 0, pageSize: 5 }, roomy),
    );
    expect(answer).toBeNull();
  });
});

describe("with QRESYNC: changes merged into the cached orders, not the whole order asked again", () => {
  // Chunks of 4 UIDs, so a few dozen messages make many chunks and a change touches only some.
  const small: CacheLimits = { ...roomy, orderChunk: 4 };
  const all = async (store: Store, login: string, folder: FakeFolder, order: "asc" | "desc" = "asc", sort: MessageSortKey = "date") => {
    const page = await list(store, login, folder, { pageSize: 1000, order, sort }, small);
    return uidsOf(page);
  };
  /** The order as the server sorts it now, ascending. */
  const truth = async (folder: FakeFolder, key: MessageSortKey = "date") => folder.sorted(key, [...folder.messages.keys()]);
  /** Bytes the folder's cache really holds (order chunks + rows), to check the meta's count. */
  const storedBytes = async (store: Store, login: string, keys: MessageSortKey[]) => {
    let total = 0;
    for (const key of keys) for (const r of await store.records.scan<string>(`mc:order:${encodeURIComponent(login)}/INBOX/100/${key}`)) total += JSON.stringify(r.value).length;
    for (const r of await store.records.scan(rowsCollection(login, "INBOX", "100"))) total += JSON.stringify(r.value).length;
    return total;
  };
  const qresyncFolder = (count: number, date = (uid: number) => uid * 10) => {
    const folder = new FakeFolder();
    folder.qresync = true;
    folder.add(count, date);
    return folder;
  };

  it("places arrivals older, newer and equal in date, drops expunges on different pages, and patches a flag, all at once", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = qresyncFolder(40); // dates 10, 20, … 400: chunks [1-4] [5-8] … [37-40]
    expect(await all(store, login, folder)).toEqual(await truth(folder));
    await list(store, login, folder, { pageSize: 5 }, small); // the first page's rows are cached
    folder.expunge(3); // first chunk
    folder.expunge(22); // a middle one
    folder.expunge(40); // the newest
    folder.setFlags(38, { seen: true });
    folder.add(1, () => 405); // newer than all
    folder.add(1, () => 15); // between 1 and 2
    folder.add(1, () => 80); // equal to 8, the last of its chunk (a fence): after it, by UID
    folder.add(1, () => 200); // equal to 20, the last of its chunk
    folder.add(1, () => 60); // equal to 6, inside the chunk [5-8]: after 6, before 7
    folder.add(1, () => 105); // inside the chunk [9-12]
    folder.add(1, () => 400); // equal to the expunged newest one

    folder.calls = [];
    folder.asked.sortedUids = 0;
    const page = await list(store, login, folder, { pageSize: 5 }, small);
    expect(folder.calls).not.toContain("order:date");
    expect(folder.calls.filter((c) => c === "changesSince")).toHaveLength(1);
    // One SORT of the 10 chunks' last UIDs with the 7 arrivals, then one per chunk receiving some
    // (the newest, after every chunk, needs none): the changes and a few chunks, never all 40.
    expect(folder.calls.filter((c) => c === "sortSome:date").length).toBeLessThanOrEqual(1 + 6);
    expect(folder.asked.sortedUids).toBeLessThan(17 + 6 * 6);
    expect(uidsOf(page)).toEqual((await truth(folder)).reverse().slice(0, 5));
    expect(page.messages.find((m) => m.uid === 38)?.flags.seen).toBe(true);
    expect(page.total).toBe(folder.messages.size);
    expect(await all(store, login, folder)).toEqual(await truth(folder));
    expect(await all(store, login, folder, "desc")).toEqual((await truth(folder)).reverse());
    expect(await store.records.get(rowsCollection(login, "INBOX", "100"), "40")).toBeNull();
    const meta = (await store.kv.get<FolderMeta>(metaKey(login, "INBOX")))!;
    expect(meta.bytes).toBe(await storedBytes(store, login, ["date"]));
  });

  it("breaks date ties by UID, as RFC 5256 does by sequence number, at chunk boundaries too", async () => {
    const store = await getStore();
    const login = newLogin();
    // Every message dated alike: the order is UID order, and so must it stay after arrivals.
    const folder = qresyncFolder(12, () => 500);
    await all(store, login, folder);
    folder.add(3, () => 500);
    folder.add(1, () => 499);
    expect(await all(store, login, folder)).toEqual([16, ...Array.from({ length: 15 }, (_, i) => i + 1)]);
    expect(folder.calls).not.toContain("order:date");
  });

  it("reads only the chunks whose UID range holds an expunged UID, and rewrites only the chunks that changed", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = qresyncFolder(400);
    await all(store, login, folder);
    await all(store, login, folder, "asc", "arrival");
    folder.expunge(123);
    folder.add(1);
    const orderReads: number[] = [];
    const orderWrites: number[] = [];
    const counting: Store = {
      ...store,
      records: {
        ...store.records,
        getMany: (c, ids) => (c.startsWith("mc:order:") && orderReads.push(ids.length), store.records.getMany(c, ids)),
        putMany: (c, records) => (c.startsWith("mc:order:") && orderWrites.push(records.length), store.records.putMany(c, records)),
      },
    };
    await list(counting, login, folder, { pageSize: 5 }, small);
    expect(folder.calls).not.toContain("order:date");
    expect(folder.calls).not.toContain("order:arrival");
    // Per order: the chunk holding 123, and the last chunk (the arrival): of 100 chunks.
    expect(orderWrites.reduce((a, b) => a + b, 0)).toBe(4);
    expect(orderReads.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(6);
    expect(await all(store, login, folder)).toEqual(await truth(folder));
    expect(await all(store, login, folder, "asc", "arrival")).toEqual(await truth(folder, "arrival"));
  });

  it("splits a chunk that grew past twice its size, and the pages stay tiled", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = qresyncFolder(8);
    await all(store, login, folder);
    folder.add(10, (uid) => 25 + uid / 100); // all between 2 and 3
    expect(await all(store, login, folder)).toEqual(await truth(folder));
    const meta = (await store.kv.get<FolderMeta>(metaKey(login, "INBOX")))!;
    expect(meta.chunks.date!.every((ref) => ref[1] <= 8)).toBe(true);
    const pages: number[] = [];
    for (let page = 0; page < 4; page++) pages.push(...uidsOf(await list(store, login, folder, { page, pageSize: 5, order: "asc" }, small)));
    expect(pages).toEqual(await truth(folder));
  });

  it("merges the chunks that many expunges left nearly empty, and the pages stay tiled", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = qresyncFolder(40); // chunks [1-4] [5-8] … [37-40]
    await all(store, login, folder);
    for (let uid = 1; uid <= 40; uid++) if (uid % 4 !== 0) folder.expunge(uid); // one left per chunk
    expect(await all(store, login, folder)).toEqual(await truth(folder));
    const meta = (await store.kv.get<FolderMeta>(metaKey(login, "INBOX")))!;
    // Ten chunks of one would be left without merging; merged up to twice the size (8): two.
    expect(meta.chunks.date!.map((ref) => ref[1])).toEqual([2, 8]);
    const pages: number[] = [];
    for (let page = 0; page < 4; page++) pages.push(...uidsOf(await list(store, login, folder, { page, pageSize: 3, order: "asc" }, small)));
    expect(pages).toEqual(await truth(folder));
  });

  it("asks the whole order again when the server's answer does not fit the cache (a message expunged meanwhile)", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = qresyncFolder(12);
    await all(store, login, folder);
    folder.add(2, () => 15);
    // The SORT over the chunk finds one of its messages gone: an expunge the FETCH did not report.
    const sortSome = folder.sortSome.bind(folder);
    folder.sortSome = async (key, uids) => {
      if (uids.length > 2 && folder.messages.has(2)) folder.messages.delete(2);
      return sortSome(key, uids);
    };
    const uids = await all(store, login, folder);
    expect(folder.calls).toContain("order:date");
    expect(uids).toEqual(await truth(folder));
  });

  it("without QRESYNC (CONDSTORE only) still asks the order again when messages came or went", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = qresyncFolder(6);
    folder.qresync = false;
    await all(store, login, folder);
    folder.expunge(2);
    folder.add(1, () => 1);
    expect(await all(store, login, folder)).toEqual(await truth(folder));
    expect(folder.calls).toContain("order:date");
  });
});

describe("listConversationsThroughCache", () => {
  const conversations = async (store: Store, login: string, source: FakeFolder) => {
    source.calls = [];
    return listConversationsThroughCache(store, login, source, { folder: "INBOX", page: 0, pageSize: 10 }, roomy);
  };

  it("keeps the thread structure and the rows shown, and threads again after any change", async () => {
    const store = await getStore();
    const login = newLogin();
    const folder = new FakeFolder();
    folder.add(4);
    folder.messages.get(2)!.subject = "Message 2 [a]";
    folder.messages.get(4)!.subject = "Message 4 [a]";
    const cold = (await conversations(store, login, folder))!;
    expect(cold.messages.map((m) => m.conversation?.uids)).toEqual([[4, 2], [3], [1]]);
    expect(folder.calls).toEqual(["status", "threads", "conversationRows"]);
    const warm = (await conversations(store, login, folder))!;
    expect(warm).toEqual({ ...cold, fromCache: true });
    expect(folder.calls).toEqual(["status"]);

    folder.setFlags(2, { seen: true });
    const afterFlags = (await conversations(store, login, folder))!;
    expect(folder.calls).toEqual(["status", "changedFlags", "threads", "conversationRows"]);
    expect(afterFlags.messages[0]!.conversation?.unreadUids).toEqual([4]);

    const [reply] = folder.add(1);
    folder.messages.get(reply!)!.subject = "Message 5 [a]";
    folder.expunge(3);
    const after = (await conversations(store, login, folder))!;
    expect(after.messages.map((m) => m.conversation?.uids)).toEqual([[5, 4, 2], [1]]);
    expect(after.total).toBe(2);
  });

  it("is not cached without CONDSTORE (nothing would vouch for a conversation's unread state)", async () => {
    const store = await getStore();
    const folder = new FakeFolder();
    folder.condstore = false;
    folder.add(2);
    expect(await conversations(store, newLogin(), folder)).toBeNull();
  });
});

describe("the cache's bounds", () => {
  it("evicts the login's least recently used folder past its cap, and trims a folder over the cap alone", async () => {
    const store = await getStore();
    const login = newLogin();
    const [a, b, c] = [new FakeFolder(), new FakeFolder(), new FakeFolder()];
    for (const f of [a, b, c]) f.add(40);
    const read = (f: FakeFolder, folder: string, limits: CacheLimits) => list(store, login, f, { folder, pageSize: 40 }, limits);
    await read(a, "A", roomy);
    const oneFolder = (await store.kv.get<FolderMeta>(metaKey(login, "A")))!.bytes;
    const cap: CacheLimits = { maxBytesPerLogin: Math.round(oneFolder * 2.5), maxBytes: roomy.maxBytes };
    await read(b, "B", cap);
    await read(a, "A", cap); // A is now more recent than B
    await read(c, "C", cap);
    expect(await store.kv.get(metaKey(login, "B"))).toBeNull();
    expect(await store.kv.get(metaKey(login, "A"))).not.toBeNull();
    expect((await store.records.scan<{ folder: string }>(loginLru(login))).map((r) => r.value.folder).sort()).toEqual(["A", "C"]);
    // B is answered again, from the server, and evicts the oldest in turn.
    b.calls = [];
    await read(b, "B", cap);
    expect(b.asked.rows).toBe(80);

    // One folder alone over the cap keeps only what fits, its oldest rows shed first.
    const tiny: CacheLimits = { maxBytesPerLogin: Math.round(oneFolder / 2), maxBytes: roomy.maxBytes };
    await read(c, "D", tiny);
    const meta = (await store.kv.get<FolderMeta>(metaKey(login, "D")))!;
    expect(meta.bytes).toBeLessThanOrEqual(tiny.maxBytesPerLogin);
    const kept = await store.records.count(rowsCollection(login, "D", "100"));
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(40);
    expect(await store.kv.get(metaKey(login, "C"))).toBeNull();
  });

  it("evicts other logins' least recently used folders past the overall cap", async () => {
    const store = await getStore();
    for (const entry of await store.records.scan<{ login: string; folder: string }>("mc:lru")) {
      await evictFolder(store, entry.value.login, entry.value.folder);
    }
    expect(await totalCachedBytes(store)).toBe(0);
    const [first, second] = [newLogin(), newLogin()];
    const f = new FakeFolder();
    f.add(30);
    await list(store, first, f, { pageSize: 30 });
    const total = await totalCachedBytes(store);
    const oneFolder = (await store.kv.get<FolderMeta>(metaKey(first, "INBOX")))!.bytes;
    await list(store, second, f, { pageSize: 30 }, { maxBytesPerLogin: roomy.maxBytesPerLogin, maxBytes: total + oneFolder / 2 });
    expect(await store.kv.get(metaKey(first, "INBOX"))).toBeNull();
    expect(await store.kv.get(metaKey(second, "INBOX"))).not.toBeNull();
    expect(await totalCachedBytes(store)).toBeLessThanOrEqual(total + oneFolder / 2);
  });

  it("purges everything of a login (sign-out), and the total follows", async () => {
    const store = await getStore();
    const login = newLogin();
    const f = new FakeFolder();
    f.add(20);
    await list(store, login, f, { folder: "INBOX", pageSize: 20 });
    await list(store, login, f, { folder: "Archive", pageSize: 20 });
    const before = await totalCachedBytes(store);
    const bytes = (await store.kv.get<FolderMeta>(metaKey(login, "INBOX")))!.bytes * 2;
    await purgeLogin(store, login);
    expect(await store.kv.get(metaKey(login, "INBOX"))).toBeNull();
    expect(await store.kv.get(metaKey(login, "Archive"))).toBeNull();
    expect(await store.records.count(rowsCollection(login, "INBOX", "100"))).toBe(0);
    expect(await store.records.count(loginLru(login))).toBe(0);
    expect(await totalCachedBytes(store)).toBe(before - bytes);
  });

  it("sweeps the cache of logins whose sessions all expired without signing out", async () => {
    const store = await getStore();
    const [gone, here] = [newLogin(), newLogin()];
    const f = new FakeFolder();
    f.add(3);
    await saveCredentials(here, "pw", 60_000);
    await saveCredentials(gone, "pw", 40);
    await list(store, gone, f);
    await list(store, here, f);
    await vi.waitFor(async () => expect(await liveSessionCount(gone)).toBe(0), { timeout: 3000, interval: 20 });
    expect(await sweepListCache()).toContain(gone.toLowerCase());
    expect(await store.kv.get(metaKey(gone, "INBOX"))).toBeNull();
    expect(await store.kv.get(metaKey(here, "INBOX"))).not.toBeNull();
  });
});
