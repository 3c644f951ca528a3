"use client";

import dynamic from "next/dynamic";
import { useCallback, useEffect, useId, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { Trash2, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { IconButton } from "@/components/ui/icon-button";
import { useQueryClient } from "@tanstack/react-query";
import { useToast } from "@/components/ui/toast";
import type { ComposeLimits, MessageRefData, UserSettings } from "@/lib/mail/types";
import { ApiError } from "@/components/mail/data/api-client";
import { outboxApi } from "@/components/mail/data/outbox-api";
import { composeApi } from "@/components/mail/data/compose-api";
import { announceQueued } from "@/components/mail/outbox/outbox-events";
import { mailKeys } from "@/components/mail/data/keys";
import { loadSettings } from "@/components/mail/data/use-settings";
import { AttachmentList } from "./attachment-list";
import { onSignOutSave, type ComposeRequestDetail } from "./compose-event";
import {
  htmlToText,
  invalidChips,
  newState,
  reparseChips,
  textToParagraphs,
  toRequest,
  type ComposerState,
} from "./composer-state";
import { FromLine } from "./from-line";
import { clearLocal } from "./local-copy";
import { RecipientField } from "./recipient-field";
import { withSignature } from "./signature";
import { useDraftSaver, type SaveStatus } from "./use-draft-saver";
import { useUploads } from "./use-uploads";

// Loaded when "Send later" is first pressed: most messages are sent at once.
const SendLaterDialog = dynamic(() => import("@/components/mail/outbox/send-later-dialog"), { ssr: false });

const RichTextEditor = dynamic(() => import("./rich-text-editor"), {
  ssr: false,
  loading: () => <p className="px-3 py-2 text-sm text-slate-500">Loading the editor…</p>,
});

export type ComposerStart = ComposeRequestDetail | { mode: "restore"; state: ComposerState };

function statusText(status: SaveStatus): string {
  switch (status.kind) {
    case "saving":
      return "Saving…";
    case "saved":
      return "Saved";
    case "failed":
      return `Not saved: ${status.reason}`;
    default:
      return "";
  }
}

async function initialState(start: ComposerStart, settings: Promise<UserSettings>): Promise<ComposerState> {
  if (start.mode === "restore") return reparseChips(start.state);
  const ref: MessageRefData | null =
    start.mode === "new" ? null : { folder: start.folder, uidValidity: start.uidValidity, uid: start.uid };
  if (start.mode === "draft" && ref) return newState(await composeApi.openDraft(ref));
  const [content, { signature }] = await Promise.all([
    ref && start.mode !== "new" && start.mode !== "draft" ? composeApi.start(start.mode, ref) : null,
    settings,
  ]);
  const state = newState(content ?? undefined);
  return { ...state, body: withSignature(state.body, state.format, signature) };
}

/** The composer: loads its starting point (new, reply, forward, draft), then the form. */
export default function Composer({
  login,
  start,
  onClose,
}: {
  login: string;
  start: ComposerStart;
  onClose: () => void;
}) {
  const [initial, setInitial] = useState<ComposerState | null>(
    start.mode === "restore" ? reparseChips(start.state) : null,
  );
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (initial) return;
    let live = true;
    initialState(
      start,
      client.ensureQueryData({ queryKey: mailKeys.settings(), queryFn: loadSettings }),
    ).then(
      (s) => live && setInitial(s),
      (e: unknown) =>
        live && setError(e instanceof ApiError ? e.message : "The message could not be prepared."),
    );
    return () => {
      live = false;
    };
  }, [initial, start, client]);

  return (
    <section aria-label="New message" className="flex h-full min-h-0 flex-col bg-white dark:bg-slate-950">
      {initial ? (
        <ComposerForm login={login} initial={initial} start={start} onClose={onClose} />
      ) : (
        <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-sm">
          {error ? (
            <>
              <p role="alert" className="text-red-800 dark:text-red-200">
                {error}
              </p>
              <Button onClick={onClose}>Close</Button>
            </>
          ) : (
            <p className="text-slate-500">
              {start.mode === "draft" ? "Opening the draft…" : "Preparing the message…"}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function ComposerForm({
  login,
  initial,
  start,
  onClose,
}: {
  login: string;
  initial: ComposerState;
  start: ComposerStart;
  onClose: () => void;
}) {
  const [state, setStateRaw] = useState(initial);
  const stateRef = useRef(initial);
  const [showCc, setShowCc] = useState(initial.cc.length > 0 || initial.bcc.length > 0);
  // The body takes the focus when the composer opens with recipients (a reply). Decided once: the
  // editor loads lazily, and a recipient typed meanwhile must not send the focus to the body — it
  // would also close a menu the user has opened since.
  const [bodyFirst] = useState(initial.to.length > 0);
  const [limits, setLimits] = useState<ComposeLimits | null>(null);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [laterOpen, setLaterOpen] = useState(false);
  const [editorKey, setEditorKey] = useState(0);
  const [dragging, setDragging] = useState(false);
  const toast = useToast();
  const headingId = useId();

  const onSaved = useCallback((draft: MessageRefData) => {
    stateRef.current = { ...stateRef.current, draft };
    setStateRaw((s) => ({ ...s, draft }));
  }, []);
  const saver = useDraftSaver(login, stateRef, onSaved);

  const setState = useCallback(
    (update: ComposerState | ((s: ComposerState) => ComposerState)) => {
      const next = typeof update === "function" ? update(stateRef.current) : update;
      stateRef.current = next;
      setStateRaw(next);
      saver.changed();
    },
    [saver],
  );
  const uploads = useUploads(setState, limits);

  useEffect(() => {
    composeApi.limits().then(setLimits, () => setLimits(null));
  }, []);

  // Signing out saves the draft first, so the browser's copy can go without losing anything.
  const { saveNow } = saver;
  useEffect(() => onSignOutSave(saveNow), [saveNow]);

  // A reopened or restored draft is already safe; a reply's quote alone is not worth saving yet.
  useEffect(() => {
    if (start.mode === "restore") saver.changed();
    // Only once, for the state the composer opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const field =
    <K extends keyof ComposerState>(key: K) =>
    (value: ComposerState[K]) =>
      setState((s) => ({ ...s, [key]: value }));

  function switchFormat() {
    setState((s) =>
      s.format === "html"
        ? { ...s, format: "text", body: htmlToText(s.body) }
        : { ...s, format: "html", body: textToParagraphs(s.body) },
    );
    setEditorKey((k) => k + 1);
  }

  async function close() {
    if (!(await saver.saveNow())) {
      // Closing now would leave the message only in this browser: say so and keep it open.
      setProblem(
        "The draft could not be saved to Drafts, so the composer stays open. Try again in a moment, or Discard.",
      );
      return;
    }
    await saver.stop();
    clearLocal(login);
    if (stateRef.current.draft) toast.show({ message: "Saved to Drafts." });
    onClose();
  }

  async function discard() {
    await saver.stop();
    const s = stateRef.current;
    for (const a of s.attachments)
      if (a.upload) void composeApi.deleteUpload(a.upload.id).catch(() => undefined);
    if (s.draft) await composeApi.discardDraft(s.draft).catch(() => undefined);
    clearLocal(login);
    toast.show({ message: "Draft discarded." });
    onClose();
  }

  /** Checks the message can go; the reason when it cannot, shown in the composer. */
  function sendProblem(): string | null {
    const s = stateRef.current;
    const invalid = invalidChips(s);
    if (invalid.length)
      return `Correct or remove the addresses marked as not valid: ${invalid.map((c) => c.text).join(", ")}.`;
    if (s.to.length + s.cc.length + s.bcc.length === 0) return "Add at least one recipient in To, Cc or Bcc.";
    if (s.attachments.some((a) => a.status === "uploading"))
      return "Wait until every attachment has finished uploading, then send.";
    if (s.attachments.some((a) => a.status === "error"))
      return "Remove the attachments that could not be uploaded, then send.";
    return null;
  }

  /**
   * Send (sendAt null: after the user's undo window) or Send later: the message goes into the
   * server's outbox and the composer closes; the shell's toast offers Undo and says when it went.
   */
  async function send(sendAt: number | null = null): Promise<string | null> {
    if (sending) return null;
    setProblem(null);
    const invalid = sendProblem();
    if (invalid) {
      setProblem(invalid);
      return invalid;
    }
    setSending(true);
    // No autosave may recreate the draft once the message is on its way; a save in flight finishes first.
    await saver.stop();
    const current = stateRef.current;
    try {
      const item = await outboxApi.enqueue(toRequest(current), current.idempotencyKey, current.draft, sendAt);
      clearLocal(login);
      // The window as the server applied it (the setting may have changed in another tab), counted
      // from now by this browser's clock, which may differ a little from the server's.
      const windowMs = item.state === "waiting" ? Math.max(0, Date.parse(item.dueAt) - Date.parse(item.createdAt)) : 0;
      announceQueued({ item, windowMs });
      onClose();
      return null;
    } catch (e) {
      const message = e instanceof ApiError ? e.message : "The message could not be sent.";
      saver.resume();
      setSending(false);
      // A refused time is the dialog's to show; the message stays as it is.
      if (e instanceof ApiError && e.code === "SEND_AT_PAST") return message;
      // Nothing is lost: the server-side draft is written now, the browser copy already is.
      await saver.saveNow();
      const savedNote = stateRef.current.draft
        ? ""
        : " It is kept in this browser; it will be saved to Drafts when the server can be reached.";
      setProblem(`${message}${/Drafts/.test(message) ? "" : savedNote}`);
      return message;
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    // Inside the "Send later" dialog (a DOM child of the composer), Ctrl+Enter is not "send now".
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !laterOpen) {
      event.preventDefault();
      void send();
    }
  }

  function onDrop(event: DragEvent<HTMLElement>) {
    const files = Array.from(event.dataTransfer.files);
    setDragging(false);
    if (!files.length) return;
    event.preventDefault();
    uploads.add(files);
  }

  const title = state.subject.trim() || "New message";
  return (
    <div
      className={`flex h-full min-h-0 flex-col ${dragging ? "ring-4 ring-accent-400 ring-inset" : ""}`}
      onKeyDown={onKeyDown}
      onDragOver={(e) => {
        if (Array.from(e.dataTransfer.types).includes("Files")) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className="flex items-center gap-1 border-b border-slate-200 py-1 pr-1 pl-3 dark:border-slate-800">
        <h2 id={headingId} className="min-w-0 flex-1 truncate font-semibold">
          {title}
        </h2>
        <span
          role="status"
          aria-label="Draft status"
          className="max-w-[40%] truncate text-xs text-slate-600 dark:text-slate-400"
        >
          {statusText(saver.status)}
        </span>
        <IconButton
          label="Discard"
          onClick={() => void discard()}
          disabled={sending}
          icon={<Trash2 aria-hidden="true" className="h-[18px] w-[18px]" />}
        />
        <IconButton
          label="Close"
          onClick={() => void close()}
          disabled={sending}
          icon={<X aria-hidden="true" className="h-5 w-5" />}
        />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <FromLine login={login} />
        <RecipientField label="To" chips={state.to} onChange={field("to")} autoFocus={state.to.length === 0} />
        {showCc ? (
          <>
            <RecipientField label="Cc" chips={state.cc} onChange={field("cc")} />
            <RecipientField label="Bcc" chips={state.bcc} onChange={field("bcc")} />
          </>
        ) : (
          <div className="border-b border-slate-200 px-3 py-1 dark:border-slate-800">
            <button
              type="button"
              className="text-sm text-accent-700 hover:underline dark:text-accent-100"
              onClick={() => setShowCc(true)}
            >
              Cc and Bcc
            </button>
          </div>
        )}
        <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-1.5 dark:border-slate-800">
          <label
            htmlFor={`${headingId}-subject`}
            className="w-14 shrink-0 text-sm text-slate-600 dark:text-slate-400"
          >
            Subject
          </label>
          <input
            id={`${headingId}-subject`}
            value={state.subject}
            onChange={(e) => field("subject")(e.target.value)}
            className="min-w-0 flex-1 bg-transparent py-1 text-sm outline-none"
          />
        </div>
        {state.format === "html" ? (
          <RichTextEditor
            key={editorKey}
            initialHtml={state.body}
            onChange={field("body")}
            onFiles={uploads.add}
            autoFocus={bodyFirst}
          />
        ) : (
          <textarea
            key={editorKey}
            aria-label="Message"
            value={state.body}
            onChange={(e) => field("body")(e.target.value)}
            onPaste={(e) => {
              const files = Array.from(e.clipboardData.files);
              if (files.length) {
                e.preventDefault();
                uploads.add(files);
              }
            }}
            className="block min-h-[14rem] w-full resize-y bg-transparent px-3 py-2 font-mono text-sm outline-none"
          />
        )}
        <AttachmentList items={state.attachments} onRemove={uploads.remove} />
      </div>
      {problem && (
        <p
          role="alert"
          className="border-t border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
        >
          {problem}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-3 py-2 dark:border-slate-800">
        <Button
          variant="primary"
          onClick={() => void send()}
          disabled={sending}
          aria-keyshortcuts="Control+Enter"
        >
          {sending ? "Sending…" : "Send"}
        </Button>
        <Button
          onClick={() => {
            const invalid = sendProblem();
            setProblem(invalid);
            if (!invalid) setLaterOpen(true);
          }}
          disabled={sending}
          aria-haspopup="dialog"
        >
          Send later
        </Button>
        <label className="inline-flex cursor-pointer items-center gap-1.5 rounded-lg px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 focus-within:ring-2 focus-within:ring-accent-500 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-800">
          Attach files
          <input
            type="file"
            multiple
            className="sr-only"
            onChange={(e) => {
              uploads.add(Array.from(e.target.files ?? []));
              e.target.value = "";
            }}
          />
        </label>
        <Button variant="ghost" onClick={switchFormat} aria-pressed={state.format === "text"}>
          Plain text
        </Button>
        {limits && (
          <span className="ml-auto text-xs text-slate-600 dark:text-slate-400">
            Up to {Math.floor(limits.maxUploadBytes / 1_000_000)} MB of attachments
          </span>
        )}
      </div>
      {laterOpen && (
        <SendLaterDialog onClose={() => setLaterOpen(false)} onSchedule={(at) => send(at.getTime())} />
      )}
    </div>
  );
}
