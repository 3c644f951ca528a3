"use client";

import { lazyInBrowser } from "@/components/ui/lazy-in-browser";
import { useEffect, useState } from "react";
import { COMPOSE_EVENT, isComposeDetail } from "./compose-event";
import type { ComposerStart } from "./composer";
import { loadLocal } from "./local-copy";

// The composer and its editor are fetched only when a message is written.
const Composer = lazyInBrowser(
  () => import("./composer").then((m) => m.default),
  <p className="p-6 text-sm text-slate-500">Opening the composer…</p>,
);

/**
 * Opens the composer on the "letterbox:compose" event (Compose and the reader's buttons, and the
 * keyboard shortcuts), and reopens one the browser still holds after a closed tab or a reload.
 */
export function useComposer(login: string) {
  const [session, setSession] = useState<{ id: number; start: ComposerStart } | null>(null);

  useEffect(() => {
    const restored = loadLocal(login);
    // A message the user was writing when the tab closed comes back as it was.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (restored) setSession({ id: Date.now(), start: { mode: "restore", state: restored } });
    const onCompose = (event: Event) => {
      const detail = (event as CustomEvent<unknown>).detail;
      if (isComposeDetail(detail)) setSession({ id: Date.now(), start: detail });
    };
    window.addEventListener(COMPOSE_EVENT, onCompose);
    return () => window.removeEventListener(COMPOSE_EVENT, onCompose);
  }, [login]);

  const close = () => setSession(null);
  const view = session ? <Composer key={session.id} login={login} start={session.start} onClose={close} /> : null;
  return { open: session !== null, view };
}
