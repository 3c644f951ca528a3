"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useToast, type ToastInput } from "@/components/ui/toast";
import type { OutboxItem, OutboxOutcome } from "@/lib/mail/types";
import { ApiError } from "@/components/mail/data/api-client";
import { outboxApi } from "@/components/mail/data/outbox-api";
import { mailKeys } from "@/components/mail/data/keys";
import { openComposer } from "@/components/mail/composer/compose-event";
import { isTypingTarget } from "@/components/mail/shell/shortcuts";
import type { QueuedDetail } from "./outbox-events";
import { formatWhen } from "./outbox-state";

interface Tracked {
  item: OutboxItem;
  toastId: number;
  /** When the undo window ends, by this browser's clock. */
  localDue: number;
  /** Until then the toast offers Undo and `z` takes the message back. */
  undoable: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  polls: number;
}

const outcomeToast = (outcome: OutboxOutcome): ToastInput | null => {
  switch (outcome.kind) {
    case "sent":
      return outcome.refused.length
        ? {
            tone: "error",
            durationMs: 12_000,
            message: `Sent, but the mail server refused ${outcome.refused.join(", ")}. A notice with its reasons is in your Inbox.`,
          }
        : { message: "Sent", quiet: true };
    case "returned":
      return {
        tone: "error",
        durationMs: 15_000,
        message: `Not sent: ${outcome.reason.replace(/\.$/, "")}. The message is back in Drafts, and a “not delivered” notice is in your Inbox.`,
      };
    case "cancelled":
      return null;
  }
};

/**
 * Loaded with the first Send (not on the first visit). Follows each message this tab queued: the countdown toast with "Undo" (and `z`), then "Sent", or
 * in plain words why not ("retrying", "not sent"). The server does the sending: closing the tab
 * changes nothing but this toast.
 */
export function SendTracker({ queued }: { queued: QueuedDetail[] }) {
  const toast = useToast();
  const client = useQueryClient();
  const tracked = useRef(new Map<string, Tracked>());
  // By announcement, not by id: "Send now" announces a message this tab may have tracked before.
  const seen = useRef(new WeakSet<QueuedDetail>());
  const track = useRef<(detail: QueuedDetail) => void>(() => undefined);
  const api = useRef({ toast, client });
  useEffect(() => {
    api.current = { toast, client };
  });

  useEffect(() => {
    const map = tracked.current;
    const refresh = () => {
      void api.current.client.invalidateQueries({ queryKey: mailKeys.outbox() });
    };
    const stop = (t: Tracked) => {
      if (t.timer) clearTimeout(t.timer);
      map.delete(t.item.id);
    };

    async function undo(t: Tracked) {
      if (!map.has(t.item.id)) return;
      t.undoable = false;
      if (t.timer) clearTimeout(t.timer);
      api.current.toast.update(
        t.toastId,
        { message: "Taking the message back…", durationMs: 0, quiet: true },
        { announce: true },
      );
      try {
        const draft = await outboxApi.cancel(t.item.id);
        stop(t);
        api.current.toast.update(
          t.toastId,
          { message: "Sending undone. The message is open again.", quiet: true },
          { announce: true },
        );
        openComposer({ mode: "draft", ...draft });
      } catch (error) {
        // Too late (the server is handing it over) or already gone: follow it to its end.
        api.current.toast.update(
          t.toastId,
          {
            tone: "error",
            message: error instanceof ApiError ? error.message : "The message could not be taken back.",
            durationMs: 8_000,
          },
          { announce: true },
        );
        schedulePoll(t, 1_000);
      }
      refresh();
    }

    const countdown = (t: Tracked): ToastInput => {
      const seconds = Math.ceil((t.localDue - Date.now()) / 1000);
      return {
        message: `Sending in ${seconds} s…`,
        quiet: true,
        durationMs: 0,
        action: { label: "Undo", onAction: () => void undo(t) },
      };
    };

    function tick(t: Tracked) {
      if (!map.has(t.item.id)) return;
      if (Date.now() >= t.localDue) {
        t.undoable = false;
        api.current.toast.update(
          t.toastId,
          { message: "Sending…", quiet: true, durationMs: 0 },
          { announce: true },
        );
        refresh();
        schedulePoll(t, 500);
        return;
      }
      api.current.toast.update(t.toastId, countdown(t));
      t.timer = setTimeout(() => tick(t), Math.min(1_000, t.localDue - Date.now()));
    }

    function schedulePoll(t: Tracked, delay: number) {
      if (t.timer) clearTimeout(t.timer);
      t.timer = setTimeout(() => void poll(t), delay);
    }

    async function poll(t: Tracked) {
      if (!map.has(t.item.id)) return;
      t.polls += 1;
      try {
        const found = await outboxApi.get(t.item.id);
        if (found.outcome) {
          const shown = outcomeToast(found.outcome);
          stop(t);
          if (shown) api.current.toast.update(t.toastId, shown, { announce: true });
          else api.current.toast.dismiss(t.toastId);
          refresh();
          void api.current.client.invalidateQueries({ queryKey: mailKeys.folders() });
          return;
        }
        const state = found.message.state;
        // A retry whose time has come (Send now) is about to be tried: wait for that try's end.
        const dueNow = Date.parse(found.message.dueAt) <= Date.now() + 1_000;
        if ((state === "retrying" && !dueNow) || state === "failed") {
          // Waiting for the server: the Outbox shows it from here on; the toast says it once.
          stop(t);
          const next = new Date(found.message.dueAt);
          api.current.toast.update(
            t.toastId,
            {
              tone: "error",
              durationMs: 12_000,
              message:
                state === "retrying"
                  ? `Not sent yet: ${(found.message.lastError ?? "the mail server did not take it").replace(/\.$/, "")}. Letterbox will try again ${formatWhen(next, new Date())}; see the Outbox.`
                  : `Not sent: ${found.message.lastError ?? "the mail server refused it"}. Open the Outbox to cancel it.`,
            },
            { announce: true },
          );
          refresh();
          return;
        }
      } catch (error) {
        if (error instanceof ApiError && error.code === "OUTBOX_NOT_FOUND") {
          stop(t);
          api.current.toast.dismiss(t.toastId);
          return;
        }
        // Offline for a moment: ask again; the server sends regardless.
      }
      schedulePoll(t, t.polls < 20 ? 1_000 : 4_000);
    }

    track.current = ({ item, windowMs }: QueuedDetail) => {
      const earlier = map.get(item.id);
      if (earlier) stop(earlier);
      refresh();
      if (item.state === "scheduled") {
        const when = formatWhen(new Date(item.dueAt), new Date());
        const t: Tracked = { item, toastId: 0, localDue: 0, undoable: true, timer: null, polls: 0 };
        map.set(item.id, t);
        t.toastId = api.current.toast.show({
          message: `Scheduled for ${when}.`,
          durationMs: 10_000,
          action: { label: "Undo", onAction: () => void undo(t) },
        });
        // Offered for as long as the toast shows; after that, the Outbox has "Edit" and "Cancel sending".
        t.timer = setTimeout(() => stop(t), 10_000);
        return;
      }
      const t: Tracked = {
        item,
        toastId: 0,
        localDue: Date.now() + windowMs,
        undoable: windowMs > 0,
        timer: null,
        polls: 0,
      };
      map.set(item.id, t);
      if (windowMs > 0) {
        t.toastId = api.current.toast.show(countdown(t));
        t.timer = setTimeout(() => tick(t), Math.min(1_000, windowMs));
      } else {
        t.toastId = api.current.toast.show({ message: "Sending…", quiet: true, durationMs: 0 });
        schedulePoll(t, 300);
      }
    };

    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "z" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented)
        return;
      if (isTypingTarget(event.target) || document.querySelector("dialog[open], [role='menu']")) return;
      const latest = [...map.values()].reverse().find((t) => t.undoable);
      if (!latest) return;
      event.preventDefault();
      void undo(latest);
    }

    window.addEventListener("keydown", onKeyDown);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      map.forEach((t) => t.timer && clearTimeout(t.timer));
    };
  }, []);

  // Each queued message once, in order: the shell collects them from the first Send on.
  useEffect(() => {
    for (const detail of queued) {
      if (seen.current.has(detail)) continue;
      seen.current.add(detail);
      track.current(detail);
    }
  }, [queued]);

  return null;
}
