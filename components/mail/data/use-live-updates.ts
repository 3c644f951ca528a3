"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { MailEvent } from "@/lib/mail/types";

export type NewMailEvent = Extract<MailEvent, { type: "new-mail" }>;

const RECONNECT_DELAYS_MS = [1000, 2000, 5000, 15_000, 60_000];

// What each event does to the cache loads with the stream's first message, not with the first visit;
// the catch-up with the stream's first `ready` (the first visit's JavaScript is at its budget).
let mapping: Promise<typeof import("./live-events")> | undefined;
const liveEvents = () => (mapping ??= import("./live-events"));
let catchingUp: Promise<typeof import("./catch-up")> | undefined;
const catchUpModule = () => (catchingUp ??= import("./catch-up"));

/**
 * One EventSource per tab on GET /api/events: each event patches or refetches the queries it
 * touches (live-events.ts). The browser reconnects a dropped stream by itself (the server says
 * `retry: 3000`); a stream it gave up on (an error answer, the server away) is opened again here
 * with growing delays. Every (re)connection starts with `ready`, and then the counts and the lists
 * on screen are read again, so what happened while disconnected is caught up.
 */
export function useLiveUpdates(onNewMail?: (event: NewMailEvent) => void): void {
  const client = useQueryClient();
  const newMail = useRef(onNewMail);
  useEffect(() => {
    newMail.current = onNewMail;
  }, [onNewMail]);

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let first = true;

    const connect = () => {
      const es = new EventSource("/api/events");
      source = es;
      es.addEventListener("ready", () => {
        failures = 0;
        // The first page may have loaded before the stream was there: nothing may fall in between.
        const wasFirst = first;
        first = false;
        void catchUpModule().then(({ catchUp }) => catchUp(client, wasFirst));
      });
      es.addEventListener("mail", (message) => {
        let event: MailEvent;
        try {
          event = JSON.parse((message as MessageEvent<string>).data) as MailEvent;
        } catch {
          return;
        }
        // In arrival order: each event waits for the same one loaded module.
        void liveEvents().then(({ applyMailEvent }) => {
          applyMailEvent(client, event);
          if (event.type === "new-mail") newMail.current?.(event);
        });
      });
      es.onerror = () => {
        if (es.readyState !== EventSource.CLOSED) return;
        es.close();
        const delay = RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)] ?? 60_000;
        failures += 1;
        timer = setTimeout(connect, delay);
      };
    };
    connect();
    return () => {
      clearTimeout(timer);
      source?.close();
    };
  }, [client]);
}
