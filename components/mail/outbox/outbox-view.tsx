"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Paperclip } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { IconButton } from "@/components/ui/icon-button";
import { useToast } from "@/components/ui/toast";
import type { OutboxItem } from "@/lib/mail/types";
import { ApiError } from "@/components/mail/data/api-client";
import { outboxApi } from "@/components/mail/data/outbox-api";
import { mailKeys } from "@/components/mail/data/keys";
import { useOutbox } from "@/components/mail/data/use-outbox";
import { openComposer } from "@/components/mail/composer/compose-event";
import { fullAddress } from "@/components/mail/format";
import { formatFileSize } from "@/components/mail/format-file";
import { announceQueued } from "./outbox-events";
import { describeState } from "./outbox-state";
import { focusWhenFree } from "@/components/ui/focus-when-free";

/** A clock for the countdowns ("sending in 8 s"), ticking once a second while anything counts down. */
function useNow(active: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(new Date()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

const stateTone = (item: OutboxItem) =>
  item.state === "retrying" || item.state === "failed"
    ? "text-amber-800 dark:text-amber-200"
    : "text-slate-600 dark:text-slate-400";

/**
 * The Outbox: messages waiting for their undo window, scheduled ones and retries, with their state in
 * words; an opened one shows what it says and offers "Send now", "Edit" (out of the outbox, into
 * the composer) and "Cancel sending" (back to Drafts). Loaded on the first visit to the Outbox.
 */
export default function OutboxView({
  selectedId,
  onSelect,
  rightPane,
}: {
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  /** The composer, when one is open: it takes the reading pane's place, as beside a folder. */
  rightPane: ReactNode;
}) {
  const query = useOutbox();
  const items = query.data ?? null;
  const now = useNow((items ?? []).some((i) => i.state === "waiting" || i.state === "retrying"));
  const selected = selectedId ? (items?.find((i) => i.id === selectedId) ?? null) : null;
  const showRight = rightPane !== null || selectedId !== null;

  return (
    <>
      <section
        aria-label="Outbox"
        className={`${showRight ? "hidden lg:flex" : "flex"} w-full min-w-0 flex-col border-r border-slate-200 lg:w-[26rem] lg:shrink-0 xl:w-[30rem] dark:border-slate-800`}
      >
        <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
          <h2 className="flex-1 truncate font-semibold">Outbox</h2>
          <span className="text-xs text-slate-600 tabular-nums dark:text-slate-400">
            {items ? `${items.length} ${items.length === 1 ? "message" : "messages"}` : ""}
          </span>
        </div>
        {query.error && !items && (
          <div
            role="alert"
            className="m-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {query.error instanceof ApiError ? query.error.message : "The outbox could not be loaded."}{" "}
            <button type="button" className="font-semibold underline" onClick={() => void query.refetch()}>
              Try again
            </button>
          </div>
        )}
        {!items && !query.error && (
          <div
            role="status"
            aria-label="Loading the outbox"
            className="m-3 h-20 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900"
          />
        )}
        {items && items.length === 0 && (
          <p className="p-6 text-center text-sm text-slate-600 dark:text-slate-400">
            Nothing is waiting to be sent.
          </p>
        )}
        {items && items.length > 0 && (
          <ul role="list" aria-label="Messages in Outbox" className="min-h-0 flex-1 overflow-y-auto">
            {items.map((item) => (
              <li key={item.id} className="border-b border-slate-100 dark:border-slate-900">
                <a
                  href={`/mail?${new URLSearchParams({ outbox: item.id })}`}
                  aria-current={item.id === selectedId ? "true" : undefined}
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                    event.preventDefault();
                    onSelect(item.id);
                  }}
                  className={`block px-4 py-2.5 text-sm ${
                    item.id === selectedId
                      ? "bg-accent-100 dark:bg-slate-800"
                      : "hover:bg-slate-50 dark:hover:bg-slate-900"
                  }`}
                >
                  <span className="flex items-baseline gap-2">
                    <span className="min-w-0 flex-1 truncate font-medium">To {item.to.join(", ")}</span>
                  </span>
                  <span className="block truncate">{item.subject || "(no subject)"}</span>
                  <span className={`block truncate text-xs ${stateTone(item)}`}>
                    {describeState(item, now)}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className={`${showRight ? "flex" : "hidden lg:flex"} min-w-0 flex-1 flex-col`}>
        {rightPane ??
          (selectedId ? (
            <OutboxMessageView
              key={selectedId}
              id={selectedId}
              item={selected}
              now={now}
              onDone={() => onSelect(null)}
            />
          ) : (
            <div className="flex flex-1 items-center justify-center p-6 text-center text-sm text-slate-600 dark:text-slate-400">
              Select a message to see it, send it now, edit it or cancel sending.
            </div>
          ))}
      </div>
    </>
  );
}

function OutboxMessageView({
  id,
  item,
  now,
  onDone,
}: {
  id: string;
  item: OutboxItem | null;
  now: Date;
  onDone: () => void;
}) {
  const client = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const query = useQuery({
    queryKey: mailKeys.outboxMessage(id),
    queryFn: () => outboxApi.get(id),
    refetchInterval: 5_000,
  });
  const message = query.data?.message ?? null;
  const gone =
    query.data?.outcome ??
    (query.error instanceof ApiError && query.error.code === "OUTBOX_NOT_FOUND"
      ? { kind: "gone" as const }
      : null);
  // The list's copy is fresher (asked every few seconds); the opened message's text does not change.
  const state = item ?? message;

  useEffect(() => {
    if (message) focusWhenFree(headingRef.current);
  }, [message]);

  async function act(name: "send" | "edit" | "cancel") {
    setBusy(name);
    setProblem(null);
    try {
      if (name === "send") {
        const next = await outboxApi.sendNow(id);
        // The toast follows it to "Sent" like any Send.
        announceQueued({ item: next, windowMs: 0 });
      } else {
        const draft = await outboxApi.cancel(id);
        if (name === "edit") openComposer({ mode: "draft", ...draft });
        else toast.show({ message: "Sending cancelled. The message is back in Drafts." });
        onDone();
      }
      void client.invalidateQueries({ queryKey: mailKeys.outbox() });
      void client.invalidateQueries({ queryKey: mailKeys.folders() });
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : "That did not work. Try again in a moment.");
    } finally {
      setBusy(null);
    }
  }

  const locked = busy !== null || !state || state.state === "sending";
  return (
    <section aria-label="Outbox message" className="flex h-full min-h-0 flex-col">
      <div
        role="toolbar"
        aria-label="Actions for this message"
        className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-2 py-1.5 dark:border-slate-800"
      >
        <IconButton
          className="lg:hidden"
          label="Back to Outbox"
          onClick={onDone}
          icon={<ArrowLeft aria-hidden="true" className="h-[18px] w-[18px]" />}
        />
        <Button variant="primary" disabled={locked} onClick={() => void act("send")}>
          Send now
        </Button>
        <Button disabled={locked} onClick={() => void act("edit")}>
          Edit
        </Button>
        <Button disabled={locked} onClick={() => void act("cancel")}>
          Cancel sending
        </Button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-4 md:px-6">
        {problem && (
          <p
            role="alert"
            className="mb-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {problem}
          </p>
        )}
        {gone && (
          <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
            {gone.kind === "sent"
              ? "This message has been sent; it is in Sent."
              : gone.kind === "returned"
                ? `This message was not sent (${gone.reason.replace(/\.$/, "")}); it is back in Drafts.`
                : "This message is no longer in the outbox."}
          </p>
        )}
        {!message && !gone && query.error && (
          <p role="alert" className="text-sm text-red-800 dark:text-red-200">
            {query.error instanceof ApiError ? query.error.message : "The message could not be opened."}
          </p>
        )}
        {!message && !gone && !query.error && (
          <div
            role="status"
            aria-label="Loading message"
            className="h-40 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900"
          />
        )}
        {message && (
          <article className="space-y-4">
            <h2 ref={headingRef} tabIndex={-1} className="text-xl font-semibold break-words outline-none">
              {message.subject || "(no subject)"}
            </h2>
            {state && (
              <p role="status" className={`text-sm font-medium ${stateTone(state)}`}>
                {describeState(state, now).replace(/^./, (c) => c.toUpperCase())}
              </p>
            )}
            <dl className="space-y-1 rounded-lg bg-slate-50 p-3 text-sm dark:bg-slate-900">
              {(
                [
                  ["To", message.toAddresses],
                  ["Cc", message.cc],
                  ["Bcc", message.bcc],
                ] as const
              ).map(([label, list]) =>
                list.length ? (
                  <div key={label} className="flex gap-2">
                    <dt className="w-10 shrink-0 text-slate-600 dark:text-slate-400">{label}</dt>
                    <dd className="min-w-0 break-words">{list.map(fullAddress).join(", ")}</dd>
                  </div>
                ) : null,
              )}
            </dl>
            {/* The plain-text version, shown as text: nothing in it can run or load. */}
            <div aria-label="Message text" className="text-sm break-words whitespace-pre-wrap">
              {message.text || "(no text)"}
            </div>
            {message.attachments.length > 0 && (
              <div>
                <h3 className="mb-2 text-sm font-semibold">
                  {message.attachments.length === 1
                    ? "1 attachment"
                    : `${message.attachments.length} attachments`}
                </h3>
                <ul className="flex flex-wrap gap-2">
                  {message.attachments.map((a, i) => (
                    <li
                      key={i}
                      className="flex items-center gap-1.5 rounded-lg px-3 py-1.5 text-sm ring-1 ring-slate-300 dark:ring-slate-700"
                    >
                      <Paperclip aria-hidden="true" className="h-4 w-4 text-slate-500" />
                      <span className="max-w-[16rem] truncate">{a.filename}</span>
                      <span className="text-xs text-slate-600 dark:text-slate-400">
                        {formatFileSize(a.size)}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </article>
        )}
      </div>
    </section>
  );
}
