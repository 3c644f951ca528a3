"use client";

import { RetryAlert } from "@/components/ui/retry-alert";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ConversationMessage } from "@/lib/mail/types";
import { ApiError } from "@/components/mail/data/api-client";
import { partDownloadUrl } from "@/components/mail/data/reader-api";
import { useConversation } from "@/components/mail/data/use-conversation";
import { useBodyWithRemote, useMessage, useSetFlags } from "@/components/mail/data/use-message";
import { openComposer } from "@/components/mail/composer/compose-event";
import { displayAddress, formatFullDate, formatListDate } from "@/components/mail/format";
import { Avatar } from "@/components/mail/avatar";
import { AttachmentChips } from "./attachment-chips";
import { BodyFrame } from "./body-frame";
import { RemoteContentNotice } from "./remote-content-notice";
import { MessageReader, type ReaderCommand } from "./message-reader";
import { ReaderHeader } from "./reader-header";
import { ReaderToolbar } from "./reader-toolbar";
import { focusWhenFree } from "@/components/ui/focus-when-free";

export type ConversationCommand = ReaderCommand | "markUnread";

const keyOf = (m: Pick<ConversationMessage, "folder" | "uid">) => `${m.folder}\n${m.uid}`;

/** One expanded message of the stack: header, body in its sandboxed frame, attachments; read once shown. */
function ExpandedMessage({ item, login }: { item: ConversationMessage; login: string }) {
  const query = useMessage({ folder: item.folder, uidValidity: item.uidValidity, uid: item.uid });
  const message = query.data;
  const { mutate } = useSetFlags();
  const [allowRemote, setAllowRemote] = useState(false);
  const withRemote = useBodyWithRemote(item, allowRemote);
  const markedSeen = useRef(false);
  useEffect(() => {
    if (!message || markedSeen.current) return;
    markedSeen.current = true;
    if (!message.flags.seen) mutate({ folder: item.folder, uidValidity: item.uidValidity, uid: item.uid, change: { seen: true } });
  }, [message, item, mutate]);

  if (query.error) {
    return (
      <p role="alert" className="text-sm text-red-800 dark:text-red-200">
        {query.error instanceof ApiError ? query.error.message : "The message could not be opened."}
      </p>
    );
  }
  if (!message) return <div role="status" aria-label="Loading message" className="h-32 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900" />;
  const attachments = message.attachments.filter((a) => !a.inline);
  return (
    <div className="space-y-3">
      <ReaderHeader message={message} login={login} />
      {message.remoteContentBlocked && !allowRemote && <RemoteContentNotice onAllow={() => setAllowRemote(true)} />}
      {withRemote.error && (
        <RetryAlert
          message={withRemote.error instanceof ApiError ? withRemote.error.message : "The remote content could not be loaded."}
          onRetry={() => void withRemote.refetch()}
        />
      )}
      <BodyFrame key={`${item.uid}-${withRemote.data ? "remote" : "blocked"}`} bodyDocument={withRemote.data ?? message.bodyDocument}
                remoteAllowed={withRemote.data !== undefined} />
      {attachments.length > 0 && (
        <AttachmentChips attachments={attachments} hrefOf={(a) => partDownloadUrl(item.folder, item.uidValidity, item.uid, a.partId)} />
      )}
      <div className="flex gap-2">
        <Button className="text-xs" onClick={() => openComposer({ mode: "reply", folder: item.folder, uidValidity: item.uidValidity, uid: item.uid })}>
          Reply to this message
        </Button>
      </div>
    </div>
  );
}

/**
 * A conversation as a stack of its messages, oldest first: the unread ones and the newest open,
 * the others one line each (sender, date, preview) that opens on click or Enter. The toolbar acts
 * on the conversation's messages in this folder; Reply answers the newest of them. A conversation of one
 * message is the ordinary reader.
 */
export function ConversationReader({
  folder,
  uidValidity,
  uid,
  login,
  focusOnLoad,
  canArchive,
  onBack,
  onCommand,
  expectMany,
}: {
  folder: string;
  uidValidity: string;
  uid: number;
  login: string;
  focusOnLoad: boolean;
  canArchive: boolean;
  onBack: () => void;
  onCommand: (command: ConversationCommand, uids: number[]) => void;
  /** The list's row stands for several messages. */
  expectMany: boolean;
}) {
  // The opened message is wanted whatever the conversation holds: asked for at the same time.
  useMessage({ folder, uidValidity, uid });
  const query = useConversation({ folder, uidValidity, uid });
  const conversation = query.data;
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Which messages are open: at first the unread ones and the newest, then as the user clicks.
  // Kept from the first answer, so a message does not close the moment it is marked read.
  const [opened, setOpened] = useState<{ id: string; keys: ReadonlySet<string> } | null>(null);
  if (conversation && opened?.id !== conversation.id) {
    const last = conversation.messages[conversation.messages.length - 1];
    setOpened({ id: conversation.id, keys: new Set(conversation.messages.filter((m) => !m.flags.seen || m === last).map(keyOf)) });
  }
  const focused = useRef(false);
  const many = (conversation?.messages.length ?? 0) > 1;

  useEffect(() => {
    if (!conversation || !many || focused.current) return;
    focused.current = true;
    if (focusOnLoad) focusWhenFree(headingRef.current);
  }, [conversation, many, focusOnLoad]);

  // A row of one message opens as the ordinary reader at once; it becomes a stack only if the
  // conversation turns out to hold more (the user's replies in Sent). A row of several shows the
  // stack's placeholder until the conversation arrives.
  if (conversation ? !many : !expectMany && !query.error) {
    return (
      <MessageReader
        folder={folder}
        uidValidity={uidValidity}
        uid={uid}
        login={login}
        focusOnLoad={focusOnLoad}
        canArchive={canArchive}
        onBack={onBack}
        onCommand={(command) => onCommand(command, [uid])}
      />
    );
  }

  const messages = conversation?.messages ?? [];
  const newest = messages[messages.length - 1];
  const isOpen = (m: ConversationMessage) => opened?.keys.has(keyOf(m)) ?? false;
  const toggle = (m: ConversationMessage) =>
    setOpened((prev) => {
      if (!prev) return prev;
      const keys = new Set(prev.keys);
      if (!keys.delete(keyOf(m))) keys.add(keyOf(m));
      return { ...prev, keys };
    });
  const inFolder = messages.filter((m) => m.folder === folder).map((m) => m.uid);
  // Reply, Reply all and Forward answer the newest message in this folder, not one's own in Sent.
  const target = [...messages].reverse().find((m) => m.folder === folder) ?? newest;
  const reply = target ? { folder: target.folder, uidValidity: target.uidValidity, uid: target.uid } : null;
  const error = query.error ? (query.error instanceof ApiError ? query.error.message : "The conversation could not be opened.") : null;

  return (
    <section aria-label="Conversation" className="flex h-full min-h-0 flex-col">
      <ReaderToolbar
        label="Actions for this conversation"
        replyTo={reply}
        ready={!!conversation}
        canArchive={canArchive}
        onBack={onBack}
        onOrganize={conversation ? (command) => onCommand(command, inFolder) : null}
        onMarkUnread={() => onCommand("markUnread", inFolder)}
      />
      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-4 md:px-6">
        {error && (
          <RetryAlert message={error} onRetry={() => void query.refetch()} />
        )}
        {!conversation && !error && (
          <div role="status" aria-label="Loading conversation" className="space-y-4">
            <div className="h-6 w-2/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
            <div className="h-40 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900" />
          </div>
        )}
        {conversation && (
          <article className="space-y-3">
            <h2 ref={headingRef} tabIndex={-1} className="text-xl font-semibold break-words outline-none">
              {conversation.subject || "(no subject)"}
              <span className="ml-2 text-sm font-normal text-slate-600 dark:text-slate-400">{messages.length} messages</span>
            </h2>
            <ol aria-label="Messages in this conversation" className="space-y-2">
              {messages.map((m) => {
                const expanded = isOpen(m);
                const sender = m.from[0] ? displayAddress(m.from[0]) : "(no sender)";
                return (
                  <li key={keyOf(m)} className="rounded-lg border border-slate-200 dark:border-slate-800">
                    <button
                      type="button"
                      aria-expanded={expanded}
                      onClick={() => toggle(m)}
                      className="flex w-full min-w-0 items-center gap-3 rounded-lg px-3 py-2 text-left text-sm hover:bg-slate-50 dark:hover:bg-slate-900"
                    >
                      <Avatar address={m.from[0]} />
                      <span className="flex min-w-0 flex-1 flex-col">
                        <span className="flex items-baseline gap-2">
                          <span className={`truncate ${m.flags.seen ? "" : "font-semibold"}`}>{sender}</span>
                          {m.folder !== folder && <span className="shrink-0 text-xs text-slate-600 dark:text-slate-400">in {m.folder}</span>}
                          <time dateTime={m.date} title={formatFullDate(m.date)} className="ml-auto shrink-0 text-xs text-slate-600 tabular-nums dark:text-slate-400">
                            <span className="sr-only">, </span>
                            {formatListDate(m.date)}
                          </time>
                        </span>
                        {!expanded && m.preview && (
                          <span className="truncate text-xs text-slate-600 dark:text-slate-400">
                            <span className="sr-only">, </span>
                            {m.preview}
                          </span>
                        )}
                      </span>
                    </button>
                    {expanded && (
                      <div className="border-t border-slate-200 px-3 py-3 dark:border-slate-800">
                        <ExpandedMessage item={m} login={login} />
                      </div>
                    )}
                  </li>
                );
              })}
            </ol>
          </article>
        )}
      </div>
    </section>
  );
}
