"use client";

import { useCallback, useEffect, useRef, useState, type MutableRefObject } from "react";
import type { MessageRefData } from "@/lib/mail/types";
import { ApiError } from "@/components/mail/data/api-client";
import { composeApi } from "@/components/mail/data/compose-api";
import { hasContent, toRequest, type ComposerState } from "./composer-state";
import { storeLocally } from "./local-copy";

export type SaveStatus = { kind: "idle" } | { kind: "saving" } | { kind: "saved" } | { kind: "failed"; reason: string };

const SAVE_AFTER_MS = 2500;

/**
 * Keeps the draft safe while the user writes: in the browser on every change (a closed tab or a
 * lost connection loses nothing), and in the IMAP Drafts folder a few seconds after the last
 * change, replacing the previous version. Saves run one at a time; a change during a save is saved
 * after it.
 */
export function useDraftSaver(
  login: string,
  stateRef: MutableRefObject<ComposerState>,
  onSaved: (draft: MessageRefData) => void,
) {
  const [status, setStatus] = useState<SaveStatus>({ kind: "idle" });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const running = useRef<Promise<boolean> | null>(null);
  const again = useRef(false);
  const stopped = useRef(false);

  /** Saves to Drafts now; false when the server did not take it (the browser copy still holds it). */
  const saveNow = useCallback(async (): Promise<boolean> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (stopped.current) return true;
    if (running.current) {
      again.current = true;
      return running.current;
    }
    if (!hasContent(stateRef.current)) return true;
    setStatus({ kind: "saving" });
    running.current = (async () => {
      let saved = true;
      // A change made during a save is saved right after it, with the version just written replaced.
      do {
        again.current = false;
        const state = stateRef.current;
        try {
          // Even after stop(): a send that waited for this save must delete this version.
          onSaved(await composeApi.saveDraft(toRequest(state), state.draft));
          setStatus({ kind: "saved" });
          saved = true;
        } catch (error) {
          saved = false;
          setStatus({ kind: "failed", reason: error instanceof ApiError ? error.message : "the server could not be reached" });
          break;
        }
      } while (again.current && !stopped.current);
      running.current = null;
      return saved;
    })();
    return running.current;
  }, [onSaved, stateRef]);

  /** After every change: kept locally now, saved on the server once the user pauses. */
  const changed = useCallback(() => {
    if (stopped.current) return;
    storeLocally(login, stateRef.current);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNow(), SAVE_AFTER_MS);
  }, [login, saveNow, stateRef]);

  /** Once sent or discarded: no save may recreate the draft. Waits for a save in flight. */
  const stop = useCallback(async () => {
    stopped.current = true;
    if (timer.current) clearTimeout(timer.current);
    await running.current?.catch(() => undefined);
  }, []);

  const resume = useCallback(() => {
    stopped.current = false;
  }, []);

  // Replaced by another message or unmounted with a save still due: save it now, not never.
  useEffect(
    () => () => {
      if (!timer.current) return;
      clearTimeout(timer.current);
      timer.current = null;
      if (!stopped.current) void saveNow();
    },
    [saveNow],
  );

  return { status, changed, saveNow, stop, resume, running };
}
