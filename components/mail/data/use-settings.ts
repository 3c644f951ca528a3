"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { UserSettings } from "@/lib/mail/types";
import { settingsApi } from "./api-client";
import { mailKeys } from "./keys";

/**
 * The settings a login has before it chose any: the same as the schema's defaults (a unit test holds
 * them equal), written out so that the schema library stays out of the browser's first visit.
 */
export const FALLBACK_SETTINGS: UserSettings = {
  displayName: "",
  signature: { format: "text", body: "" },
  density: "comfortable",
  autoAdvance: "newer",
  theme: "system",
  undoSendSeconds: 10,
  conversations: true,
};

export async function loadSettings(): Promise<UserSettings> {
  try {
    return await settingsApi.settings();
  } catch {
    // Mail works without stored settings (the settings service may be down, or not there yet).
    return FALLBACK_SETTINGS;
  }
}

/** The user's settings, or the defaults until (or unless) the server has them. */
export function useSettings(): UserSettings | undefined {
  return useQuery({ queryKey: mailKeys.settings(), queryFn: loadSettings, staleTime: 5 * 60_000, retry: false }).data;
}

/**
 * Changes some settings from where they are used (the list's "Conversations" switch): shown at once,
 * saved on the server for every browser of the user, put back if the server refuses. A plain
 * callback rather than useMutation: the mutation observer would be script the first visit carries.
 */
export function useUpdateSettings(onError: (message: string) => void) {
  const client = useQueryClient();
  return useCallback(
    (patch: Partial<UserSettings>) => {
      const before = client.getQueryData<UserSettings>(mailKeys.settings());
      void client.cancelQueries({ queryKey: mailKeys.settings() });
      client.setQueryData<UserSettings>(mailKeys.settings(), (s) => ({ ...(s ?? FALLBACK_SETTINGS), ...patch }));
      settingsApi.saveSettings(patch).then(
        (saved) => client.setQueryData(mailKeys.settings(), saved),
        (e: unknown) => {
          client.setQueryData(mailKeys.settings(), before);
          onError(e instanceof Error ? e.message : "The setting could not be saved.");
        },
      );
    },
    [client, onError],
  );
}
