import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ImapFlow } from "imapflow";
import { limitServerSilence, silenceLimitOf } from "./limit-server-silence";

// A stand-in for imapflow's client: exec() settles when the test says, and the socket's byte
// count moves when the test "receives" data.
function fakeClient() {
  const pending: { resolve: () => void }[] = [];
  const socket = { bytesRead: 0, writableLength: 0 };
  const client = {
    socket,
    exec: (_command: string) => new Promise<void>((resolve) => pending.push({ resolve })),
  };
  return { client, socket, pending };
}

describe("limitServerSilence", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("calls out a command that waits the whole limit without a byte, naming it", async () => {
    const { client } = fakeClient();
    const silent: string[] = [];
    const guard = limitServerSilence(client as unknown as ImapFlow, 1000, (command) => silent.push(command));
    void (client as unknown as { exec: (c: string) => Promise<void> }).exec("UID SORT");
    await vi.advanceTimersByTimeAsync(999);
    expect(silent).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(silent).toEqual(["UID SORT"]);
    expect(guard.silentDuring).toBe("UID SORT");
  });

  it("never cuts a command that keeps receiving, however long it runs", async () => {
    const { client, socket, pending } = fakeClient();
    const onSilence = vi.fn();
    limitServerSilence(client as unknown as ImapFlow, 1000, onSilence);
    void (client as unknown as { exec: (c: string) => Promise<void> }).exec("FETCH");
    for (let i = 0; i < 20; i++) {
      socket.bytesRead += 65536;
      await vi.advanceTimersByTimeAsync(500);
    }
    // A large APPEND: nothing comes back, but the server keeps taking our bytes.
    for (let i = 0; i < 10; i++) {
      socket.writableLength = 10_000_000 - i * 100_000;
      await vi.advanceTimersByTimeAsync(500);
    }
    expect(onSilence).not.toHaveBeenCalled();
    pending[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
  });

  it("times nothing between commands: an idle connection is never called silent", async () => {
    const { client, pending } = fakeClient();
    const onSilence = vi.fn();
    limitServerSilence(client as unknown as ImapFlow, 1000, onSilence);
    void (client as unknown as { exec: (c: string) => Promise<void> }).exec("NOOP");
    await vi.advanceTimersByTimeAsync(500);
    pending[0]!.resolve();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onSilence).not.toHaveBeenCalled();
    // The next command's clock starts when it is sent, not at the last byte before the quiet spell.
    void (client as unknown as { exec: (c: string) => Promise<void> }).exec("SELECT");
    await vi.advanceTimersByTimeAsync(900);
    expect(onSilence).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400);
    expect(onSilence).toHaveBeenCalledWith("SELECT");
  });

  it("gives SEARCH, SORT and THREAD their own, longer bound; every other command the short one", async () => {
    const limits = { default: 1000, search: 10_000 };
    for (const command of ["UID SEARCH", "SEARCH", "UID SORT", "SORT", "UID THREAD", "thread"]) expect(silenceLimitOf(command, limits)).toBe(10_000);
    for (const command of ["UID FETCH", "SELECT", "STATUS", "UID STORE", "IDLE", "SEARCHX"]) expect(silenceLimitOf(command, limits)).toBe(1000);
    // A search bound set shorter than the default never makes a search the first to be cut.
    expect(silenceLimitOf("UID SORT", { default: 1000, search: 500 })).toBe(1000);

    const { client, pending } = fakeClient();
    const silent: string[] = [];
    limitServerSilence(client as unknown as ImapFlow, limits, (command) => silent.push(command));
    const exec = (client as unknown as { exec: (c: string) => Promise<void> }).exec;
    void exec("UID SORT");
    // Far past the short bound, well within the search bound: still waiting.
    await vi.advanceTimersByTimeAsync(9_900);
    expect(silent).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_600);
    expect(silent).toEqual(["UID SORT"]);
    pending[0]!.resolve();
  });

  it("after a search ends, the next command has the short bound again", async () => {
    const { client, pending } = fakeClient();
    const silent: string[] = [];
    limitServerSilence(client as unknown as ImapFlow, { default: 1000, search: 10_000 }, (command) => silent.push(command));
    const exec = (client as unknown as { exec: (c: string) => Promise<void> }).exec;
    void exec("UID SEARCH");
    await vi.advanceTimersByTimeAsync(5_000);
    pending[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    void exec("UID FETCH");
    await vi.advanceTimersByTimeAsync(1_300);
    expect(silent).toEqual(["UID FETCH"]);
  });

  it("while a search and a short command are both in flight, the search's bound holds", async () => {
    const { client } = fakeClient();
    const silent: string[] = [];
    limitServerSilence(client as unknown as ImapFlow, { default: 1000, search: 10_000 }, (command) => silent.push(command));
    const exec = (client as unknown as { exec: (c: string) => Promise<void> }).exec;
    void exec("UID SORT");
    void exec("NOOP");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(silent).toEqual([]);
    await vi.advanceTimersByTimeAsync(7_500);
    expect(silent).toEqual(["UID SORT"]);
  });
});
