"use client";

import { useCallback, useRef, useState } from "react";
import { useToast } from "@/components/ui/toast";
import type { MessageAction, MessageActionResult, MessageFlags } from "@/lib/mail/types";
import { ApiError, organizeApi } from "./api-client";
import { ACTION_BATCH_SIZE, BatchError, runInBatches } from "./batches";

/** Which messages an action is for: some UIDs of a folder, or every message in it. */
export type ActionTarget =
  | { folder: string; uidValidity: string; uids: number[]; allInFolder?: false }
  | { folder: string; uidValidity: string | null; allInFolder: true };

export interface BatchProgress {
  label: string;
  done: number;
  total: number;
}

const REMOVES: ReadonlySet<MessageAction["type"]> = new Set(["move", "archive", "junk", "trash", "deletePermanently"]);
const UNDOABLE: ReadonlySet<MessageAction["type"]> = new Set(["move", "archive", "junk", "trash"]);

function count(n: number): string {
  return n === 1 ? "1 message" : `${n.toLocaleString()} messages`;
}

function verbOf(action: MessageAction, to: string): { doing: string; done: string } {
  switch (action.type) {
    case "flags":
      if (action.seen !== undefined) return action.seen ? { doing: "Marking as read", done: "Marked as read" } : { doing: "Marking as unread", done: "Marked as unread" };
      return action.flagged ? { doing: "Flagging", done: "Flagged" } : { doing: "Unflagging", done: "Unflagged" };
    case "move":
      return { doing: `Moving to ${to}`, done: `Moved to ${to}` };
    case "copy":
      return { doing: `Copying to ${to}`, done: `Copied to ${to}` };
    case "archive":
      return { doing: "Archiving", done: "Archived" };
    case "junk":
      return { doing: "Moving to Junk", done: "Moved to Junk" };
    case "trash":
      return { doing: "Moving to Trash", done: "Moved to Trash" };
    case "deletePermanently":
      return { doing: "Deleting permanently", done: "Deleted permanently" };
  }
}

function flagChange(action: MessageAction): Partial<MessageFlags> | null {
  if (action.type !== "flags") return null;
  const change: Partial<MessageFlags> = {};
  if (action.seen !== undefined) change.seen = action.seen;
  if (action.flagged !== undefined) change.flagged = action.flagged;
  return change;
}

/**
 * Runs message actions the way the user should see them: applied to the list at once (hidden
 * rows, changed flags), sent in batches with progress, rolled back with the server's own words if
 * it refuses, and — for moves — undone on request by moving the new UIDs (COPYUID) back.
 */
export function useMessageActions({
  labelOf,
  hide,
  unhide,
  overrideFlags,
  afterChange,
  onServerStateLost,
}: {
  labelOf: (path: string) => string;
  hide: (uids: number[]) => void;
  unhide: (uids: number[]) => void;
  /** Sets flag overrides and returns the previous ones, for rollback. */
  overrideFlags: (uids: number[], change: Partial<MessageFlags> | null, previous?: Map<number, Partial<MessageFlags> | undefined>) => Map<number, Partial<MessageFlags> | undefined>;
  /** Fetch folders (counts) and the list again: the server's state after a change. */
  afterChange: () => void;
  /** The folder was rebuilt or removed on the server: the list must start over. */
  onServerStateLost: () => void;
}) {
  const toast = useToast();
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  // Actions run one after another, in the order the user asked for them: a flag change pressed
  // while a move is on its way waits for it rather than racing it on the same messages.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const enqueue = useCallback(<T,>(work: () => Promise<T>): Promise<T> => {
    const next = queue.current.then(work);
    queue.current = next.catch(() => undefined);
    return next;
  }, []);

  const send = useCallback(
    async (folder: string, uidValidity: string, uids: number[], action: MessageAction, label: string) => {
      const showProgress = uids.length > ACTION_BATCH_SIZE;
      if (showProgress) setProgress({ label, done: 0, total: uids.length });
      try {
        return await runInBatches(
          uids,
          (batch) => organizeApi.act(folder, uidValidity, batch, action),
          (done, total) => showProgress && setProgress({ label, done, total }),
        );
      } finally {
        if (showProgress) setProgress(null);
      }
    },
    [],
  );

  const undo = useCallback(
    async (source: string, results: MessageActionResult[]) => {
      // Group by destination: one whole-folder move reports its new UIDs batch by batch.
      const byDestination = new Map<string, { uidValidity: string; uids: number[] }>();
      for (const r of results) {
        if (!r.destination || !r.destinationUidValidity) continue;
        const entry = byDestination.get(r.destination) ?? { uidValidity: r.destinationUidValidity, uids: [] };
        entry.uids.push(...r.uidMap.map(([, to]) => to));
        byDestination.set(r.destination, entry);
      }
      try {
        let restored = 0;
        for (const [destination, { uidValidity, uids }] of byDestination) {
          await send(destination, uidValidity, uids, { type: "move", destination: source }, `Moving back to ${labelOf(source)}`);
          restored += uids.length;
        }
        toast.show({ message: `${count(restored)} put back in ${labelOf(source)}.` });
      } catch (e) {
        const cause = e instanceof BatchError ? e.cause : e;
        toast.show({ tone: "error", message: `Undo failed: ${cause instanceof ApiError ? cause.message : "the messages could not be put back."}` });
      } finally {
        afterChange();
      }
    },
    [afterChange, labelOf, send, toast],
  );

  const runNow = useCallback(
    async (target: ActionTarget, action: MessageAction): Promise<boolean> => {
      const to = "destination" in action ? labelOf(action.destination) : "";
      const verb = verbOf(action, to);
      let uids: number[] = [];
      let previousFlags: Map<number, Partial<MessageFlags> | undefined> | null = null;
      const removes = REMOVES.has(action.type);
      try {
        let uidValidity = target.uidValidity;
        if (target.allInFolder) {
          setProgress({ label: `${verb.doing}: finding every message`, done: 0, total: 0 });
          const all = await organizeApi.folderUids(target.folder);
          uids = all.uids;
          uidValidity = all.uidValidity;
          setProgress(null);
        } else {
          uids = target.uids;
        }
        if (uids.length === 0 || !uidValidity) return true;
        // Optimistic: the list changes now, the server follows.
        if (removes) hide(uids);
        const change = flagChange(action);
        if (change) previousFlags = overrideFlags(uids, change);

        const results = await send(target.folder, uidValidity, uids, action, `${verb.doing}…`);
        const canUndo = UNDOABLE.has(action.type) && results.every((r) => r.uidMap.length > 0);
        toast.show({
          message: `${verb.done}: ${count(uids.length)}.`,
          action: canUndo ? { label: "Undo", onAction: () => void enqueue(() => undo(target.folder, results)) } : undefined,
          durationMs: canUndo ? 10_000 : 5000,
        });
        return true;
      } catch (e) {
        const done = e instanceof BatchError ? e.done : 0;
        const cause = e instanceof BatchError ? e.cause : e;
        const message = cause instanceof ApiError ? cause.message : "The mail server could not be reached.";
        // Roll back what the server did not do; what it did stays (and is reported).
        const notDone = uids.slice(done);
        if (removes) unhide(notDone);
        if (previousFlags) overrideFlags(notDone, null, previousFlags);
        // Batches that went through can still be undone.
        const doneResults = e instanceof BatchError ? (e.results as MessageActionResult[]) : [];
        const canUndo = UNDOABLE.has(action.type) && doneResults.length > 0 && doneResults.every((r) => r.uidMap.length > 0);
        toast.show({
          tone: "error",
          message: done > 0 ? `${verb.done}: ${count(done)} of ${count(uids.length)}, then stopped: ${message}` : message,
          action: canUndo ? { label: "Undo", onAction: () => void enqueue(() => undo(target.folder, doneResults)) } : undefined,
          durationMs: 10_000,
        });
        if (cause instanceof ApiError && (cause.code === "FOLDER_CHANGED" || cause.code === "FOLDER_NOT_FOUND")) onServerStateLost();
        return false;
      } finally {
        setProgress(null);
        afterChange();
      }
    },
    [afterChange, enqueue, hide, labelOf, onServerStateLost, overrideFlags, send, toast, undo, unhide],
  );

  const run = useCallback(
    (target: ActionTarget, action: MessageAction): Promise<boolean> => enqueue(() => runNow(target, action)),
    [enqueue, runNow],
  );

  return { run, progress };
}
