import type { MutationOptions, QueryClient } from "@tanstack/react-query";
import type { ToastInput } from "@/components/ui/toast";
import type { MessageAction, MessageActionResult, MessageFlags } from "@/lib/mail/types";
import { patchFlags, removeMessages, restore, snapshot, type Snapshot } from "./cache";
import { mailKeys } from "./keys";
import { ApiError, searchApi } from "./api-client";
import { organizeApi } from "./organize-api";
import { ACTION_BATCH_SIZE, BatchError } from "./batches";
import type { ActionOutcome, ActionTarget, BatchProgress } from "./use-message-actions";

const REMOVES: ReadonlySet<MessageAction["type"]> = new Set([
  "move",
  "archive",
  "junk",
  "trash",
  "deletePermanently",
]);
const UNDOABLE: ReadonlySet<MessageAction["type"]> = new Set(["move", "archive", "junk", "trash"]);

function count(n: number): string {
  return n === 1 ? "1 message" : `${n.toLocaleString()} messages`;
}

function verbOf(action: MessageAction, to: string): { doing: string; done: string } {
  switch (action.type) {
    case "flags":
      if (action.seen !== undefined)
        return action.seen
          ? { doing: "Marking as read", done: "Marked as read" }
          : { doing: "Marking as unread", done: "Marked as unread" };
      return action.flagged
        ? { doing: "Flagging", done: "Flagged" }
        : { doing: "Unflagging", done: "Unflagged" };
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

interface ActionVariables {
  folder: string;
  uidValidity: string;
  uids: number[];
  action: MessageAction;
  label: string;
}

/** The organizing mutation: optimistic on the cached lists, rolled back on refusal, then refetched. */
function organizeMutation(
  client: QueryClient,
  send: (variables: ActionVariables) => Promise<MessageActionResult[]>,
): MutationOptions<MessageActionResult[], unknown, ActionVariables, Snapshot> {
  return {
    scope: { id: "organize" },
    mutationFn: send,
    onMutate: async ({ folder, uids, action }) => {
      const saved = await snapshot(client, [mailKeys.lists(), mailKeys.folders(), mailKeys.messages()]);
      // Optimistic: the list changes now, the server follows.
      if (REMOVES.has(action.type)) removeMessages(client, folder, uids);
      const change = flagChange(action);
      if (change) patchFlags(client, folder, uids, change);
      return saved;
    },
    onError: (_error, _variables, saved) => {
      // What did go through shows again after the refetch below; the rest goes back as it was.
      if (saved) restore(client, saved);
    },
    onSettled: () =>
      // The server's truth: counts in the tree and the rows of every list.
      Promise.all([
        client.invalidateQueries({ queryKey: mailKeys.folders() }),
        client.invalidateQueries({ queryKey: mailKeys.lists() }),
        // An open conversation loses or regains the messages that moved.
        client.invalidateQueries({ queryKey: mailKeys.conversations() }),
      ]),
  };
}

/**
 * Runs message actions the way the user should see them: applied to the cached list at once
 * (rows leave, flags change, counts follow), sent in batches with progress, rolled back with the
 * server's own words if it refuses, and — for moves — undone on request by moving the new UIDs
 * (COPYUID) back. Every action is one mutation in a single scope, so they run one after another
 * in the order the user asked for them: a flag change pressed while a move is on its way waits for
 * it rather than racing it on the same messages.
 */
export interface ActionContext {
  client: QueryClient;
  toast: { show: (toast: ToastInput) => number };
  labelOf: (path: string) => string;
  setProgress: (progress: BatchProgress | null) => void;
}

export function messageActions({ client, toast, labelOf, setProgress }: ActionContext) {
  const send = async ({ folder, uidValidity, uids, action, label }: ActionVariables) => {
    const showProgress = uids.length > ACTION_BATCH_SIZE;
    if (showProgress) setProgress({ label, done: 0, total: uids.length });
    try {
      const { runInBatches } = await import("./run-in-batches");
      return await runInBatches(
        uids,
        (batch) => organizeApi.act(folder, uidValidity, batch, action),
        (done, total) => showProgress && setProgress({ label, done, total }),
      );
    } finally {
      if (showProgress) setProgress(null);
    }
  };

  // What useMutation would build, without its observer (nothing renders a mutation's state here,
  // and the observer is script the first visit would carry): one mutation in the client's cache per
  // action, all in one scope so that they run in order.
  const mutateAsync = (variables: ActionVariables) =>
    client
      .getMutationCache()
      .build<MessageActionResult[], unknown, ActionVariables, Snapshot>(
        client,
        client.defaultMutationOptions(organizeMutation(client, send)),
      )
      .execute(variables);

  const undo = async (source: string, results: MessageActionResult[]) => {
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
        await mutateAsync({
          folder: destination,
          uidValidity,
          uids,
          action: { type: "move", destination: source },
          label: `Moving back to ${labelOf(source)}`,
        });
        restored += uids.length;
      }
      toast.show({ message: `${count(restored)} put back in ${labelOf(source)}.` });
    } catch (e) {
      const cause = e instanceof BatchError ? e.cause : e;
      toast.show({
        tone: "error",
        message: `Undo failed: ${cause instanceof ApiError ? cause.message : "the messages could not be put back."}`,
      });
    }
  };

  const run = async (target: ActionTarget, action: MessageAction): Promise<ActionOutcome> => {
    const to = "destination" in action ? labelOf(action.destination) : "";
    const verb = verbOf(action, to);
    let uids: number[] = [];
    // The folder being acted on when a failure stops the run: its done batches can be undone.
    let currentFolder = target.folder;
    try {
      let groups: { folder: string; uidValidity: string | null; uids: number[] }[];
      if (target.allInFolder) {
        setProgress({ label: `${verb.doing}: finding every message`, done: 0, total: 0 });
        groups = target.search
          ? (await searchApi.uids(target.search.query, target.search.folder)).groups
          : [await organizeApi.folderUids(target.folder, target.order)];
        setProgress(null);
      } else {
        groups = [{ folder: target.folder, uidValidity: target.uidValidity, uids: target.uids }];
      }
      uids = groups.flatMap((g) => g.uids);
      // One folder after another (one mutation scope); each keeps its results for its own undo.
      const done: { folder: string; results: MessageActionResult[] }[] = [];
      for (const group of groups) {
        if (group.uids.length === 0 || !group.uidValidity) continue;
        currentFolder = group.folder;
        const results = await mutateAsync({
          folder: group.folder,
          uidValidity: group.uidValidity,
          uids: group.uids,
          action,
          label: `${verb.doing}…`,
        });
        done.push({ folder: group.folder, results });
      }
      if (done.length === 0) return { ok: true, removed: [] };
      const canUndo =
        UNDOABLE.has(action.type) && done.every((d) => d.results.every((r) => r.uidMap.length > 0));
      toast.show({
        message: `${verb.done}: ${count(uids.length)}.`,
        action: canUndo
          ? { label: "Undo", onAction: () => void Promise.all(done.map((d) => undo(d.folder, d.results))) }
          : undefined,
        durationMs: canUndo ? 10_000 : 5000,
      });
      return { ok: true, removed: REMOVES.has(action.type) ? uids : [] };
    } catch (e) {
      setProgress(null);
      const done = e instanceof BatchError ? e.done : 0;
      const cause = e instanceof BatchError ? e.cause : e;
      const message = cause instanceof ApiError ? cause.message : "The mail server could not be reached.";
      // Batches that went through can still be undone.
      const doneResults = e instanceof BatchError ? (e.results as MessageActionResult[]) : [];
      const canUndo =
        UNDOABLE.has(action.type) && doneResults.length > 0 && doneResults.every((r) => r.uidMap.length > 0);
      toast.show({
        tone: "error",
        message:
          done > 0
            ? `${verb.done}: ${count(done)} of ${count(uids.length)}, then stopped: ${message}`
            : message,
        action: canUndo
          ? { label: "Undo", onAction: () => void undo(currentFolder, doneResults) }
          : undefined,
        durationMs: 10_000,
      });
      if (
        cause instanceof ApiError &&
        (cause.code === "FOLDER_CHANGED" || cause.code === "FOLDER_NOT_FOUND")
      ) {
        // The folder was rebuilt or removed on the server: what the cache holds of it is gone.
        void client.resetQueries({ queryKey: mailKeys.lists() });
      }
      return { ok: false, removed: [] };
    }
  };

  return run;
}
