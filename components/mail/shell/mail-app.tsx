"use client";

import { onlineManager, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { lazyInBrowser } from "@/components/ui/lazy-in-browser";
import { useToast } from "@/components/ui/toast";
import type { Folder } from "@/lib/mail/types";
import { api, ApiError, SESSION_ENDED_EVENT } from "@/components/mail/data/api-client";
import { mailKeys } from "@/components/mail/data/keys";
import { sourceFolder, sourceId, viewOfFolder } from "@/components/mail/data/source";
import { useFolders } from "@/components/mail/data/use-folders";
import { useLiveUpdates, type NewMailEvent } from "@/components/mail/data/use-live-updates";
import { useOutbox } from "@/components/mail/data/use-outbox";
import { usePrefetchOpen } from "@/components/mail/data/use-prefetch-open";
import { nextBodyPainted } from "@/components/mail/reader/body-painted";
import { QUEUED_EVENT, type QueuedDetail } from "@/components/mail/outbox/outbox-events";
import { useSettings, useUpdateSettings } from "@/components/mail/data/use-settings";
import { openComposer, saveDraftsBeforeSignOut } from "@/components/mail/composer/compose-event";
import { clearLocal } from "@/components/mail/composer/local-copy";
import { useComposer } from "@/components/mail/composer/composer-host";
import { FolderTree, folderLabel, type FolderCommand } from "@/components/mail/folders/folder-tree";
import { MessageList, type ListHandle, type ListView } from "@/components/mail/list/message-list";
import { MessageToolbar } from "@/components/mail/list/message-toolbar";
import { rememberTimeZone, ServerClockProvider, type RenderClock } from "@/components/mail/list/list-date";
import { emptySelection, selectAllLoaded, type Selection } from "@/components/mail/list/selection";
import { AppHeader } from "./app-header";
import type { DialogState } from "./mail-dialogs";
import { notificationState } from "./notifications";
import { applyTheme, bootDone } from "./theme";
import { useKeyboardShortcuts } from "./use-keyboard-shortcuts";
import { useMailCommands } from "./use-mail-commands";
import { useMailLocation } from "./use-mail-location";

// Dialogs open on request: their code loads then, not with the first view.
const MailDialogs = lazyInBrowser(() => import("./mail-dialogs").then((m) => m.MailDialogs));

// What follows a Send (the Undo toast, then "Sent") loads with the first Send.
const SendTracker = lazyInBrowser(() => import("@/components/mail/outbox/send-tracker").then((m) => m.SendTracker));

// The Outbox view is needed only when the user opens it.
const OutboxView = lazyInBrowser(
  () => import("@/components/mail/outbox/outbox-view").then((m) => m.default),
  <div role="status" aria-label="Loading the outbox" className="m-6 h-40 flex-1 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900" />,
);

// A conversation's stack of messages, in the conversation view: loaded when one is opened.
const ConversationReader = lazyInBrowser(
  () => import("@/components/mail/reader/conversation-reader").then((m) => m.ConversationReader),
  <div role="status" aria-label="Loading conversation" className="m-6 h-40 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900" />,
);

// The reader is needed once a message is opened; the list paints without it.
const MessageReader = lazyInBrowser(
  () => import("@/components/mail/reader/message-reader").then((m) => m.MessageReader),
  <div role="status" aria-label="Loading message" className="m-6 h-40 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900" />,
);


const subscribeOnline = (onChange: () => void) => onlineManager.subscribe(onChange);
const isOnline = () => onlineManager.isOnline();

const emptyView: ListView = {
  sourceKey: "",
  uidValidity: null,
  folder: null,
  total: 0,
  order: [],
  error: null,
  flags: new Map(),
  members: new Map(),
};

/**
 * The signed-in shell: it lays out the folders, the list of the current source and the open
 * message, and wires them to the URL (what is shown), the selection and the commands.
 */
export function MailApp({ login, clock = null }: { login: string; clock?: RenderClock | null }) {
  const { source: urlSource, order, open, params, navigate } = useMailLocation();
  const location = useMemo(() => ({ source: urlSource, order, open }), [urlSource, order, open]);
  const folder = sourceFolder(urlSource);
  const client = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const composer = useComposer(login);
  const settings = useSettings();
  const foldersQuery = useFolders();
  const folders = foldersQuery.data ?? null;
  const listRef = useRef<ListHandle>(null);
  // The Outbox is a view of its own (?outbox= lists it, ?outbox=<id> opens one); a folder link leaves it.
  const outboxParam = params.get("outbox");
  const inOutbox = outboxParam !== null;
  const outboxCount = useOutbox().data?.length ?? 0;
  // Messages queued by this tab, for the send tracker (loaded with the first of them).
  const [queued, setQueued] = useState<QueuedDetail[]>([]);
  useEffect(() => {
    const onQueued = (event: Event) =>
      setQueued((list) => [...list, (event as CustomEvent<QueuedDetail>).detail]);
    window.addEventListener(QUEUED_EVENT, onQueued);
    return () => window.removeEventListener(QUEUED_EVENT, onQueued);
  }, []);
  const showOutbox = useCallback((id: string | null) => {
    window.history.pushState(null, "", `/mail?${new URLSearchParams({ outbox: id ?? "" })}`);
  }, []);
  const searchRef = useRef<HTMLInputElement>(null);
  // Offline, queries pause rather than fail (TanStack Query's network mode) and resume by
  // themselves: one notice says so, instead of an error per pane.
  const online = useSyncExternalStore(subscribeOnline, isOnline, () => true);

  const [showFolders, setShowFolders] = useState(false);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [view, setView] = useState<ListView>(emptyView);
  const [focusReader, setFocusReader] = useState(true);

  const current = folders?.find((f) => f.path === folder);
  // The URL names the folder; the user's "Conversations" setting decides how it is shown (on until
  // the settings say otherwise, as it is for most users).
  const conversationsOn = settings?.conversations ?? true;
  const source = useMemo(
    () => (urlSource.kind === "folder" ? viewOfFolder(folder, { conversations: conversationsOn, order, isDrafts: current?.role === "drafts" }) : urlSource),
    [urlSource, folder, conversationsOn, order, current?.role],
  );
  const updateSettings = useUpdateSettings((message) => toast.show({ tone: "error", message }));

  // The selection belongs to one list: another folder, order or view starts with none.
  const listKey = `${sourceId(source)}|${order.sort}|${order.order}`;
  const [selectionState, setSelectionState] = useState<{ key: string; selection: Selection }>({
    key: listKey,
    selection: emptySelection,
  });
  const selection = selectionState.key === listKey ? selectionState.selection : emptySelection;
  const setSelection = useCallback(
    (update: (prev: Selection) => Selection) =>
      setSelectionState((prev) => ({
        key: listKey,
        selection: update(prev.key === listKey ? prev.selection : emptySelection),
      })),
    [listKey],
  );

  useEffect(() => applyTheme(settings?.theme ?? "system"), [settings?.theme]);
  // Hydrated: the server-rendered buttons have their handlers now.
  useEffect(bootDone, []);
  useEffect(rememberTimeZone, []);

  useEffect(() => {
    const toSignIn = () => router.replace("/login");
    window.addEventListener(SESSION_ENDED_EVENT, toSignIn);
    return () => window.removeEventListener(SESSION_ENDED_EVENT, toSignIn);
  }, [router]);

  const label = current ? folderLabel(current) : folder;
  // What the message reader and the conversation reader are both told about the open message.
  const readerProps = (message: { uid: number; uidValidity: string }) => ({
    uidValidity: message.uidValidity,
    uid: message.uid,
    login,
    focusOnLoad: focusReader,
    canArchive: current?.role !== "archive",
    onBack: () => navigate({ ...location, open: null }),
  });

  // "(3) Inbox — Letterbox": the open folder's unread count follows live changes in the tab's title.
  const unread = current?.unread ?? 0;
  useEffect(() => {
    if (!current) return;
    const title = `${unread > 0 ? `(${unread.toLocaleString()}) ` : ""}${label} — Letterbox`;
    const keep = () => {
      if (document.title !== title) document.title = title;
    };
    keep();
    // The server-rendered page's metadata can write its <title> after hydration: ours stays.
    const watch = new MutationObserver(keep);
    watch.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => watch.disconnect();
  }, [current, unread, label]);

  // Live updates: the server's events patch the cache; new mail in Inbox may notify (its code loads
  // only when notifications are on and mail arrives).
  const onNewMail = useCallback(
    (event: NewMailEvent) => {
      if (notificationState() !== "on") return;
      void import("./notify-new-mail").then(({ notifyNewMail }) =>
        notifyNewMail(event, (uid, uidValidity) =>
          navigate({ source: { kind: "folder", folder: "INBOX" }, order, open: { uid, uidValidity } }),
        ),
      );
    },
    [navigate, order],
  );
  useLiveUpdates(onNewMail);
  const labelOf = useCallback(
    (path: string) => {
      const f = folders?.find((x) => x.path === path);
      return f ? folderLabel(f) : path;
    },
    [folders],
  );

  function selectFolder(path: string) {
    setShowFolders(false);
    navigate({ source: { kind: "folder", folder: path }, order, open: null });
  }

  // Drafts open in the composer: nothing to fetch ahead there.
  const prefetch = usePrefetchOpen();
  const isDrafts = current?.role === "drafts";
  const conversationView = source.kind === "conversations";
  const onRowIntent = useCallback(
    (row: { uid: number; uidValidity: string; folder: string } | null) => {
      // The reader's code too, so the click renders it in its own commit (a failed download is
      // tried again when the reader renders).
      if (row && !isDrafts) void (conversationView ? ConversationReader : MessageReader).preload().catch(() => undefined);
      prefetch.intent(row && !isDrafts ? { ...row, conversation: conversationView } : null);
    },
    [prefetch, isDrafts, conversationView],
  );

  const openMessage = useCallback(
    (uid: number, uidValidity: string, focus: boolean, messageFolder?: string) => {
      // What the reader will ask for is asked now (the folder as the reader below names it); the
      // history entry is written once its body has been painted (use-mail-location.ts says why).
      let painted: Promise<unknown> | undefined;
      if (isDrafts) prefetch.keep();
      else {
        painted = nextBodyPainted();
        prefetch.open({ uid, uidValidity, folder: conversationView ? folder : (messageFolder ?? (view.folder || folder)), conversation: conversationView });
      }
      setFocusReader(focus);
      navigate({ ...location, open: { uid, uidValidity, ...(messageFolder ? { folder: messageFolder } : {}) } }, false, painted);
    },
    [location, navigate, prefetch, isDrafts, conversationView, folder, view.folder],
  );

  // A message in Drafts opens in the composer, to be finished, rather than in the reader.
  const openDraft = current?.role === "drafts" && open ? open : null;
  const draftUid = openDraft?.uid ?? 0;
  const draftUidValidity = openDraft?.uidValidity ?? "";
  useEffect(() => {
    if (!draftUid) return;
    openComposer({ mode: "draft", folder, uidValidity: draftUidValidity, uid: draftUid });
    navigate({ source, order, open: null }, true);
  }, [folder, draftUid, draftUidValidity, navigate, order, source]);

  const commands = useMailCommands({
    location,
    navigate,
    openMessage,
    current,
    view,
    selection,
    setSelection,
    listRef,
    autoAdvance: settings?.autoAdvance ?? "newer",
    labelOf,
    setDialog,
  });
  // In the Outbox the list's keys have no list to act on: only compose, help and search remain.
  useKeyboardShortcuts((name) =>
    name === "search" ? searchRef.current?.focus() : (!inOutbox || name === "compose" || name === "help") && commands.shortcut(name),
  );
  const search = {
    query: source.kind === "search" ? source.query : "",
    onSearch: (query: string) => navigate({ source: { kind: "search", query, folder }, order, open: null }),
    onClear: () => navigate({ source: { kind: "folder", folder }, order, open: null }),
    onLeave: () => {
      searchRef.current?.blur();
      listRef.current?.moveFocus(0);
    },
    inputRef: searchRef,
  };

  const refreshFolders = useCallback(
    () => void client.invalidateQueries({ queryKey: mailKeys.folders() }),
    [client],
  );
  function refreshAll() {
    void client.invalidateQueries({ queryKey: mailKeys.folders() });
    void client.invalidateQueries({ queryKey: mailKeys.lists() });
  }

  function onFolderCommand(name: FolderCommand, target: Folder | null) {
    if (name === "manage") return setDialog({ kind: "manage" });
    if (name === "new") return setDialog({ kind: "new", parentPath: target?.path ?? null });
    if (!target) return;
    if (name === "rename") return setDialog({ kind: "rename", folder: target });
    // Ask the server for the count now: the tree's may be minutes old.
    client.fetchQuery({ queryKey: mailKeys.folders(), queryFn: api.folders, staleTime: 0 }).then(
      (list) => setDialog({ kind: "delete", folder: list.find((f) => f.path === target.path) ?? target }),
      () => setDialog({ kind: "delete", folder: target }),
    );
  }

  function leaveIfGone(path: string, replacement: string) {
    if (folder === path || folder.startsWith(path + (current?.delimiter ?? "/")))
      selectFolder(replacement + folder.slice(path.length));
  }

  async function signOutKeepingDrafts() {
    // A shared computer should not keep the message being written once Drafts holds it; if the
    // server did not take it, the browser's copy stays so that nothing is lost.
    if (await saveDraftsBeforeSignOut()) clearLocal(login);
    // next-auth's client is needed only here: loaded on the way out, not on the first visit.
    const { signOut } = await import("next-auth/react");
    await signOut({ callbackUrl: "/login" });
  }

  const closeDialog = useCallback(() => setDialog(null), []);
  const mixed = source.kind === "search" && view.folder === "";
  const onViewChange = useCallback((next: ListView) => setView(next), []);
  const targetCount = selection.allInFolder ? view.total : selection.uids.size || (open ? 1 : 0);
  const targetUids = selection.uids.size > 0 ? [...selection.uids] : open ? [open.uid] : [];
  // A conversation row's flags already say "unread if any is, flagged if any is".
  const targetFlags = targetUids.map((uid) => view.flags.get(uid)).filter((f) => f !== undefined);
  const toolbarState = {
    allSeen: targetFlags.length > 0 && targetFlags.every((f) => f.seen),
    allFlagged: targetFlags.length > 0 && targetFlags.every((f) => f.flagged),
  };
  // One failure, one message: the list shows it (with "Try again"); the tree stays quiet then.
  const folderError =
    foldersQuery.error && !view.error
      ? foldersQuery.error instanceof ApiError
        ? foldersQuery.error.message
        : "The folders could not be loaded."
      : null;

  // The rows' dates are written with the server's clock until hydrated (list-date.tsx).
  return (
    <ServerClockProvider clock={clock}>
    <div className="flex h-dvh flex-col overflow-hidden">
      <AppHeader
        login={login}
        displayName={settings?.displayName ?? ""}
        showFolders={showFolders}
        onToggleFolders={() => setShowFolders((v) => !v)}
        onCompose={() => openComposer({ mode: "new" })}
        onRefresh={refreshAll}
        onShortcuts={() => setDialog({ kind: "help" })}
        onSignOut={() => void signOutKeepingDrafts()}
        search={search}
      />
      {!online && (
        <p
          role="alert"
          className="bg-amber-50 px-4 py-1.5 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
        >
          You are offline. Letterbox shows what it has and catches up when the connection is back.
        </p>
      )}
      <div className="flex min-h-0 flex-1">
        <div
          id="folder-pane"
          className={`${showFolders ? "block" : "hidden"} w-full shrink-0 border-r border-slate-200 md:block md:w-56 dark:border-slate-800`}
        >
          <FolderTree
            folders={folders}
            current={inOutbox ? "" : folder}
            onSelect={selectFolder}
            error={folderError}
            onRetry={refreshFolders}
            onCommand={onFolderCommand}
            onDropMessages={commands.dropMessages}
            outbox={{
              count: outboxCount,
              active: inOutbox,
              onOpen: () => {
                setShowFolders(false);
                showOutbox(null);
              },
            }}
          />
        </div>
        <main className={`${showFolders ? "hidden" : "flex"} min-w-0 flex-1 md:flex`}>
          {inOutbox ? (
            <OutboxView
              selectedId={outboxParam || null}
              onSelect={showOutbox}
              rightPane={
                composer.open ? (
                  <div className="fixed inset-0 z-40 flex min-w-0 flex-col bg-white lg:static lg:z-auto lg:flex-1 dark:bg-slate-950">
                    {composer.view}
                  </div>
                ) : null
              }
            />
          ) : (
            <>
              <div
                className={`${open ? "hidden lg:flex" : "flex"} w-full min-w-0 flex-col border-slate-200 lg:w-[26rem] lg:border-r lg:shrink-0 xl:w-[30rem] dark:border-slate-800`}
              >
                <MessageToolbar
                  targetCount={targetCount}
                  selectedCount={selection.uids.size}
                  loadedCount={view.order.length}
                  // "Select all N messages": in the conversation view the rows are fewer than the messages.
                  folderTotal={source.kind === "conversations" ? (current?.total ?? view.total) : view.total}
                  allInFolder={selection.allInFolder}
                  folderLabel={source.kind === "search" ? "the search results" : label}
                  role={current?.role ?? null}
                  progress={commands.progress}
                  state={toolbarState}
                  onSelectAll={(checked) =>
                    // in:anywhere rows of different folders may share a UID: "all" means every result.
                    setSelection(() =>
                      checked ? (mixed ? { uids: new Set(), anchor: null, allInFolder: true } : selectAllLoaded(view.order)) : emptySelection,
                    )
                  }
                  onSelectWholeFolder={() =>
                    setSelection(() => ({ uids: new Set(), anchor: null, allInFolder: true }))
                  }
                  onClearSelection={() => setSelection(() => emptySelection)}
                  onCommand={(name) => commands.command(name)}
                />
                <MessageList
                  source={source}
                  order={order}
                  onOrderChange={(next) => navigate({ source, order: next, open: null })}
                  label={label}
                  density={settings?.density ?? "comfortable"}
                  selectedUid={open?.uid ?? null}
                  onOpen={(message) => openMessage(message.uid, message.uidValidity, true, message.folder)}
                  selection={selection}
                  onSelectionChange={(next) => setSelection(() => next)}
                  onViewChange={onViewChange}
                  handleRef={listRef}
                  folderLabelOf={labelOf}
                  conversations={conversationsOn}
                  onConversationsChange={(on) => updateSettings({ conversations: on })}
                  onRowIntent={onRowIntent}
                />
              </div>
              <div
                className={
                  composer.open
                    ? "fixed inset-0 z-40 flex min-w-0 flex-col bg-white lg:static lg:z-auto lg:flex-1 dark:bg-slate-950"
                    : `${open ? "flex" : "hidden lg:flex"} min-w-0 flex-1 flex-col`
                }
              >
                {composer.open ? (
                  composer.view
                ) : open && !openDraft && source.kind === "conversations" ? (
                  <ConversationReader
                    key={`${folder}|${open.uidValidity}|${open.uid}`}
                    folder={folder}
                    {...readerProps(open)}
                    onCommand={commands.conversationCommand}
                    expectMany={(view.members.get(open.uid)?.length ?? 1) > 1}
                  />
                ) : open && !openDraft ? (
                  <MessageReader
                    key={`${open.folder ?? (view.folder || folder)}|${open.uidValidity}|${open.uid}`}
                    folder={open.folder ?? (view.folder || folder)}
                    {...readerProps(open)}
                    onCommand={commands.readerCommand}
                  />
                ) : (
                  <div className="flex flex-1 items-center justify-center p-6 text-center text-sm text-slate-600 dark:text-slate-400">
                    Select a message to read it, or press ? for keyboard shortcuts.
                  </div>
                )}
              </div>
            </>
          )}
        </main>
        {queued.length > 0 && <SendTracker queued={queued} />}
      </div>
      {dialog && (
        <MailDialogs
          dialog={dialog}
          folders={folders}
          currentFolder={folder}
          onClose={closeDialog}
          onFolderCreated={(path) => {
            closeDialog();
            refreshFolders();
            toast.show({ message: `Folder “${path}” created.` });
          }}
          onFolderRenamed={(oldPath, newPath) => {
            closeDialog();
            refreshFolders();
            leaveIfGone(oldPath, newPath);
            toast.show({ message: `Folder renamed to “${newPath}”.` });
          }}
          onFolderDeleted={(deleted, moved) => {
            closeDialog();
            refreshFolders();
            if (folder === deleted.path) selectFolder("INBOX");
            toast.show({
              message: `Folder “${folderLabel(deleted)}” deleted${moved > 0 ? `; ${moved.toLocaleString()} messages moved to Trash` : ""}.`,
            });
          }}
          onFolderDeleteFailed={(failed, message) => {
            closeDialog();
            toast.show({ tone: "error", message, durationMs: 10_000 });
            // Show the folders as the server has them now; leave a folder that is gone.
            client
              .fetchQuery({ queryKey: mailKeys.folders(), queryFn: api.folders, staleTime: 0 })
              .then((list) => {
                if (folder === failed.path && !list.some((f) => f.path === failed.path))
                  selectFolder("INBOX");
              }, refreshFolders);
          }}
          onSubscriptionsChanged={refreshFolders}
          onPick={(mode, target, destination) => {
            closeDialog();
            commands.act(target, { type: mode, destination });
          }}
        />
      )}
    </div>
    </ServerClockProvider>
  );
}
