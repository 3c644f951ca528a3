"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useToast } from "@/components/ui/toast";
import type { MessageAction } from "@/lib/mail/types";
import type { ListOrder } from "./source";

/**
 * Which messages an action is for: some UIDs of a folder, or every message in it — walked in the
 * list's order, so batches (and a stop part-way) follow what the user sees — or, with `search`, every
 * result of that search (in:anywhere: in each folder that has some).
 */
export type ActionTarget =
  | { folder: string; uidValidity: string; uids: number[]; allInFolder?: false }
  | {
      folder: string;
      uidValidity: string | null;
      allInFolder: true;
      order: ListOrder;
      search?: { query: string; folder: string };
    };

export interface BatchProgress {
  label: string;
  done: number;
  total: number;
}

/** What the caller hears when an action settles: the messages it removed, if any. */
export interface ActionOutcome {
  ok: boolean;
  removed: number[];
}

/**
 * Message actions (archive, move, flag, delete…) with optimistic updates, batches, progress and
 * undo — see message-actions.ts. That code loads with the first action, not with the first visit
 * (its JavaScript is at its budget); actions asked for meanwhile wait for the same import and so
 * still run in the order given.
 */
// The import, once per tab (a module's code, not anyone's data).
let actionsCode: Promise<typeof import("./message-actions")> | undefined;

export function useMessageActions({ labelOf }: { labelOf: (path: string) => string }) {
  const client = useQueryClient();
  const toast = useToast();
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const run = useCallback(
    async (target: ActionTarget, action: MessageAction): Promise<ActionOutcome> => {
      const { messageActions } = await (actionsCode ??= import("./message-actions"));
      return messageActions({ client, toast, labelOf, setProgress })(target, action);
    },
    [client, toast, labelOf],
  );
  return { run, progress };
}
