"use client";

import { Icon } from "@/components/ui/icon";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { Address, Message } from "@/lib/mail/types";
import { api, ApiError, bodyUrl, partDownloadUrl, sourceDownloadUrl } from "./api-client";
import { openComposer } from "./composer/compose-event";
import { fullAddress, formatSize } from "./format";

function AddressLine({ label, list }: { label: string; list: Address[] }) {
  if (list.length === 0) return null;
  return (
    <div className="flex gap-2 text-sm">
      <dt className="w-12 shrink-0 text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words">{list.map(fullAddress).join(", ")}</dd>
    </div>
  );
}

/**
 * The body lives in a sandboxed frame: no scripts (no allow-scripts), same origin only so that the
 * frame can send the session cookie for inline images and we can size it to its content.
 */
function BodyFrame({ src }: { src: string }) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(200);

  function fit() {
    const doc = ref.current?.contentDocument;
    if (doc?.documentElement) setHeight(Math.max(120, doc.documentElement.scrollHeight + 8));
  }

  return (
    <iframe
      ref={ref}
      title="Message body"
      src={src}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      onLoad={() => {
        fit();
        // Late images change the height; observe the document once it is there.
        const doc = ref.current?.contentDocument;
        if (doc?.body && typeof ResizeObserver !== "undefined") new ResizeObserver(fit).observe(doc.body);
      }}
      className="block w-full rounded-lg bg-white"
      style={{ height }}
    />
  );
}

export function MessageReader({
  folder,
  uidValidity,
  uid,
  onFlagsChange,
  onBack,
}: {
  folder: string;
  uidValidity: string;
  uid: number;
  onFlagsChange: (uid: number, change: { seen?: boolean; flagged?: boolean }) => void;
  onBack: () => void;
}) {
  const [message, setMessage] = useState<Message | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [allowRemote, setAllowRemote] = useState(false);
  const [source, setSource] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // The shell remounts the reader per message (its key), so there is no previous state to clear.
    const controller = new AbortController();
    api
      .message(folder, uidValidity, uid, false, controller.signal)
      .then((m) => {
        setMessage(m);
        if (!m.flags.seen) {
          onFlagsChange(uid, { seen: true });
          api.setFlags(folder, uidValidity, uid, { seen: true }).catch((e: unknown) => {
            onFlagsChange(uid, { seen: false });
            setNotice(e instanceof ApiError ? e.message : "The message could not be marked as read.");
          });
        }
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e instanceof ApiError ? e.message : "The message could not be opened.");
      });
    return () => controller.abort();
    // onFlagsChange is a stable callback from the shell; re-running on it would refetch the message.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [folder, uidValidity, uid]);

  useEffect(() => {
    if (message) headingRef.current?.focus();
  }, [message]);

  async function markUnread() {
    onFlagsChange(uid, { seen: false });
    try {
      await api.setFlags(folder, uidValidity, uid, { seen: false });
      setNotice("Marked as unread.");
    } catch (e) {
      onFlagsChange(uid, { seen: true });
      setNotice(e instanceof ApiError ? e.message : "The message could not be marked as unread.");
    }
  }

  async function toggleSource() {
    if (source !== null) {
      setSource(null);
      return;
    }
    try {
      setSource(await api.source(folder, uidValidity, uid));
    } catch (e) {
      setNotice(e instanceof ApiError ? e.message : "The source could not be loaded.");
    }
  }

  const visibleAttachments = message?.attachments.filter((a) => !a.inline) ?? [];

  return (
    <section aria-label="Message" className="flex h-full min-h-0 flex-col">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <Button variant="ghost" className="lg:hidden" onClick={onBack}>
          ← Back to list
        </Button>
        <Button onClick={() => openComposer({ mode: "reply", folder, uidValidity, uid })} disabled={!message}>
          Reply
        </Button>
        <Button onClick={() => openComposer({ mode: "replyAll", folder, uidValidity, uid })} disabled={!message}>
          Reply all
        </Button>
        <Button onClick={() => openComposer({ mode: "forward", folder, uidValidity, uid })} disabled={!message}>
          Forward
        </Button>
        <Button onClick={markUnread} disabled={!message}>
          Mark as unread
        </Button>
        <Button onClick={toggleSource} disabled={!message} aria-pressed={source !== null}>
          View source
        </Button>
        {message?.remoteContentBlocked && !allowRemote && (
          <Button onClick={() => setAllowRemote(true)}>Load remote content</Button>
        )}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-4 md:px-6">
        {notice && (
          <p role="status" className="mb-3 text-sm text-slate-600 dark:text-slate-400">
            {notice}
          </p>
        )}
        {error && (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
            {error}
          </p>
        )}
        {!message && !error && <p className="text-sm text-slate-500">Loading message…</p>}
        {message && (
          <article className="space-y-4">
            <h2 ref={headingRef} tabIndex={-1} className="text-xl font-semibold break-words outline-none">
              {message.subject || "(no subject)"}
            </h2>
            <dl className="space-y-1">
              <AddressLine label="From" list={message.from} />
              <AddressLine label="To" list={message.to} />
              <AddressLine label="Cc" list={message.cc} />
              <div className="flex gap-2 text-sm">
                <dt className="w-12 shrink-0 text-slate-500">Date</dt>
                <dd>
                  <time dateTime={message.date}>{new Date(message.date).toLocaleString()}</time>
                </dd>
              </div>
            </dl>
            {message.remoteContentBlocked && !allowRemote && (
              <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
                Remote images and content in this message were blocked to protect your privacy.
              </p>
            )}
            {source !== null ? (
              <div>
                <p className="mb-2 text-sm">
                  <a className="text-accent-600 underline" href={sourceDownloadUrl(folder, uidValidity, uid)}>
                    Download as .eml
                  </a>
                </p>
                <pre aria-label="Message source" className="max-h-[70vh] overflow-auto rounded-lg bg-slate-100 p-3 text-xs whitespace-pre-wrap break-all dark:bg-slate-900">
                  {source}
                </pre>
              </div>
            ) : (
              <BodyFrame key={`${uid}-${allowRemote}`} src={bodyUrl(folder, uidValidity, uid, allowRemote)} />
            )}
            {visibleAttachments.length > 0 && (
              <div>
                <h3 className="mb-2 text-sm font-semibold">
                  {visibleAttachments.length === 1 ? "1 attachment" : `${visibleAttachments.length} attachments`}
                </h3>
                <ul aria-label="Attachments" className="flex flex-wrap gap-2">
                  {visibleAttachments.map((a) => (
                    <li key={a.partId}>
                      <a
                        href={partDownloadUrl(folder, uidValidity, uid, a.partId)}
                        download={a.filename}
                        className="flex items-center gap-2 rounded-lg px-3 py-2 text-sm ring-1 ring-slate-300 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-900"
                      >
                        <Icon name="paperclip" className="inline h-4 w-4" />
                        <span className="max-w-[16rem] truncate">{a.filename}</span>
                        <span className="text-xs text-slate-500">
                          {a.contentType}, {formatSize(a.size)}
                        </span>
                      </a>
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
