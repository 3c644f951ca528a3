"use client";

import { RetryAlert } from "@/components/ui/retry-alert";
import { Code } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { IconButton } from "@/components/ui/icon-button";
import { ApiError } from "@/components/mail/data/api-client";
import { partDownloadUrl, readerApi, sourceDownloadUrl } from "@/components/mail/data/reader-api";
import { useBodyWithRemote, useMessage, useSetFlags } from "@/components/mail/data/use-message";
import { AttachmentChips } from "./attachment-chips";
import { BodyFrame } from "./body-frame";
import { RemoteContentNotice } from "./remote-content-notice";
import { ReaderHeader } from "./reader-header";
import { ReaderToolbar, TOOLBAR_ICON, type OrganizeCommand } from "./reader-toolbar";
import { focusWhenFree } from "@/components/ui/focus-when-free";

export type ReaderCommand = OrganizeCommand;

/** Longest the mark-read waits for the body's frame to load. */
const MARK_READ_WAIT_MS = 1000;

/**
 * One message: a single toolbar (back on narrow screens, reply, organize, source), the header, the
 * body in its sandboxed frame, and the attachments. Opening it marks it read.
 */
export function MessageReader({
  folder,
  uidValidity,
  uid,
  login,
  focusOnLoad,
  canArchive,
  onBack,
  onCommand,
}: {
  folder: string;
  uidValidity: string;
  uid: number;
  login: string;
  /** Opened by the user (click, Enter): the heading takes focus. Auto-advance leaves it in the list. */
  focusOnLoad: boolean;
  canArchive: boolean;
  onBack: () => void;
  onCommand: (command: ReaderCommand) => void;
}) {
  const query = useMessage({ folder, uidValidity, uid });
  const message = query.data;
  const setFlags = useSetFlags();
  const [allowRemote, setAllowRemote] = useState(false);
  const [source, setSource] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focused = useRef(false);
  const markedSeen = useRef(false);
  const [frameLoaded, setFrameLoaded] = useState(false);
  const onFrameLoaded = useCallback(() => setFrameLoaded(true), []);
  // The body's frame is made once the reader's first frame has painted, while the message is on its
  // way (body-frame.tsx says why); a message already at hand has it at once.
  const [frameEarly, setFrameEarly] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setFrameEarly(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  // Until the body with remote images arrives, the one without stays on screen.
  const withRemote = useBodyWithRemote({ folder, uidValidity, uid }, allowRemote);
  const { mutate } = setFlags;

  useEffect(() => {
    if (!message || focused.current) return;
    focused.current = true;
    if (focusOnLoad) focusWhenFree(headingRef.current);
  }, [message, focusOnLoad]);

  // Marking read waits for the body to be on screen (or a moment, should its frame be slow with
  // images): the request, the rows' and counts' updates and the folder refresh that follow would
  // otherwise compete with the frame's own loading and first paint.
  const frameSettled = frameLoaded || source !== null;
  useEffect(() => {
    if (!message || markedSeen.current) return;
    const mark = () => {
      if (markedSeen.current) return;
      markedSeen.current = true;
      if (!message.flags.seen) {
        mutate(
          { folder, uidValidity, uid, change: { seen: true } },
          { onError: (e) => setNotice(e instanceof ApiError ? e.message : "The message could not be marked as read.") },
        );
      }
    };
    if (frameSettled) return mark();
    const timer = setTimeout(mark, MARK_READ_WAIT_MS);
    return () => clearTimeout(timer);
  }, [message, frameSettled, folder, uidValidity, uid, mutate]);

  function markUnread() {
    mutate(
      { folder, uidValidity, uid, change: { seen: false } },
      {
        onSuccess: () => setNotice("Marked as unread."),
        onError: (e) => setNotice(e instanceof ApiError ? e.message : "The message could not be marked as unread."),
      },
    );
  }

  async function toggleSource() {
    if (source !== null) {
      setSource(null);
      return;
    }
    try {
      setSource(await readerApi.source(folder, uidValidity, uid));
    } catch (e) {
      setNotice(e instanceof ApiError ? e.message : "The source could not be loaded.");
    }
  }

  const error = query.error ? (query.error instanceof ApiError ? query.error.message : "The message could not be opened.") : null;
  const remoteError = withRemote.error ? (withRemote.error instanceof ApiError ? withRemote.error.message : "The remote content could not be loaded.") : null;
  const visibleAttachments = message?.attachments.filter((a) => !a.inline) ?? [];
  const ref = { folder, uidValidity, uid };

  return (
    <section aria-label="Message" className="flex h-full min-h-0 flex-col">
      <ReaderToolbar
        label="Actions for this message"
        replyTo={message ? ref : null}
        ready={!!message}
        canArchive={canArchive}
        onBack={onBack}
        onOrganize={onCommand}
        onMarkUnread={markUnread}
      >
        <IconButton
          label="View source"
          disabled={!message}
          aria-pressed={source !== null}
          onClick={() => void toggleSource()}
          icon={<Code aria-hidden="true" className={TOOLBAR_ICON} />}
        />
      </ReaderToolbar>
      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-4 md:px-6">
        {notice && (
          <p role="status" className="mb-3 text-sm text-slate-700 dark:text-slate-300">
            {notice}
          </p>
        )}
        {error && (
          <RetryAlert message={error} onRetry={() => void query.refetch()} />
        )}
        {remoteError && <RetryAlert message={remoteError} onRetry={() => void withRemote.refetch()} />}
        {!message && !error && (
          <div role="status" aria-label="Loading message" className="space-y-4">
            <div className="h-6 w-2/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
            <div className="flex gap-3">
              <div className="h-10 w-10 animate-pulse rounded-full bg-slate-200 dark:bg-slate-800" />
              <div className="flex-1 space-y-2">
                <div className="h-3 w-1/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
                <div className="h-3 w-1/4 animate-pulse rounded bg-slate-100 dark:bg-slate-900" />
              </div>
            </div>
          </div>
        )}
        <article className="space-y-4">
          {message && (
            <>
              <h2 ref={headingRef} tabIndex={-1} className="text-xl font-semibold break-words outline-none">
                {message.subject || "(no subject)"}
              </h2>
              <ReaderHeader message={message} login={login} />
              {message.remoteContentBlocked && !allowRemote && <RemoteContentNotice onAllow={() => setAllowRemote(true)} />}
            </>
          )}
          {source !== null ? (
            <div>
              <p className="mb-2 text-sm">
                <a className="text-accent-700 underline dark:text-accent-100" href={sourceDownloadUrl(folder, uidValidity, uid)}>
                  Download as .eml
                </a>
              </p>
              <pre aria-label="Message source" className="max-h-[70vh] overflow-auto rounded-lg bg-slate-100 p-3 text-xs break-all whitespace-pre-wrap dark:bg-slate-900">
                {source}
              </pre>
            </div>
          ) : (
            !error &&
            (message || frameEarly) && (
              <BodyFrame
                key={`${uid}-${withRemote.data ? "remote" : "blocked"}`}
                bodyDocument={withRemote.data ?? message?.bodyDocument}
                remoteAllowed={withRemote.data !== undefined}
                onLoaded={onFrameLoaded}
              />
            )
          )}
          {visibleAttachments.length > 0 && (
            <div>
              <h3 className="mb-2 text-sm font-semibold">
                {visibleAttachments.length === 1 ? "1 attachment" : `${visibleAttachments.length} attachments`}
              </h3>
              <AttachmentChips attachments={visibleAttachments} hrefOf={(a) => partDownloadUrl(folder, uidValidity, uid, a.partId)} />
            </div>
          )}
        </article>
      </div>
    </section>
  );
}
