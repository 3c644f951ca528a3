"use client";

import { useQuery } from "@tanstack/react-query";
import type { UserSettings } from "@/lib/mail/types";
import { api } from "./api-client";
import { mailKeys } from "./keys";

export async function loadSettings(): Promise<UserSettings> {
  try {
    return await api.settings();
  } catch {
    // Mail works without stored settings (the settings API may be down or not there yet): use the
    // defaults. Loaded only on this path, so the schema library stays out of the first visit.
    const { defaultSettings } = await import("@/lib/mail/schemas");
    return defaultSettings;
  }
}

/** The user's settings, or the defaults until (or unless) the server has them. */
export function useSettings(): UserSettings | undefined {
  return useQuery({ queryKey: mailKeys.settings(), queryFn: loadSettings, staleTime: 5 * 60_000, retry: false }).data;
}
