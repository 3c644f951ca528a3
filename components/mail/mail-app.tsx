"use client";

import { signOut } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import type { Folder, MessageAction, MessageFlags } from "@/lib/mail/types";
import { api, ApiError, organizeApi, SESSION_ENDED_EVENT } from "./api-client";
import { openComposer, saveDraftsBeforeSignOut } from "./composer/compose-event";
import { clearLocal } from "./composer/composer-state";
import { useComposer } from "./composer/composer-host";
import { FolderTree, folderLabel, type FolderCommand } from "./folder-tree";
import { MailDialogs, type DialogState } from "./mail-dialogs";
import { MessageList, type ListHandle, type ListView, type OpenedMessage } from "./message-list";
import type { MessageDragPayload } from "./message-row";
import { MessageReader } from "./message-reader";
import { MessageToolbar, ReaderActions, type ToolbarCommand } from "./message-toolbar";
import { emptySelection, selectAllLoaded, toggleOne, withoutUids, type Selection } from "./selection";
import type { ShortcutCommand } from "./shortcuts";
import { useKeyboardShortcuts } from "./use-keyboard-shortcuts";
import { useMessageActions, type ActionTarget } from "./use-message-actions";

function readLocation(params: URLSearchParams): { folder: string; open: OpenedMessage | null } {
  const folder = params.get("folder") || "INBOX";
  const uid = Number(params.get("uid"));
  const uidValidity = params.get("uidValidity");
  return { folder, open: uid > 0 && uidValidity ? { uid, uidValidity } : null };
}

/** The signed-in shell: folders, the list of the current folder, and the open message. State lives in the URL. */
export function MailApp({ login }: { login: string }) {
  const searchParams = useSearchParams();
  const { folder, open } = readLocation(new URLSearchParams(searchParams.toString()));
  const [folders, setFolders] = useState<Folder[] | null>(null);
  const [folderError, setFolderError] = useState<string | null>(null);
  const [flagOverrides, setFlagOverrides] = useState(() => new Map<number, Partial<MessageFlags>>());
  const [reloadToken, setReloadToken] = useState(0);
  const [showFolders, setShowFolders] = useState(false);

  const router = useRouter();
  const [folderLoads, setFolderLoads] = useState(0);
  const composer = useComposer(login);

  const toast = useToast();
  const [hidden, setHidden] = useState<ReadonlySet<number>>(() => new Set());
  const [resyncToken, setResyncToken] = useState(0);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [view, setView] = useState<ListView>({ folder, uidValidity: null, total: 0, order: [] });
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const listRef = useRef<ListHandle>(null);

  useEffect(() => {
    let live = true;
    api.folders().then(
      (list) => {
        if (!live) return;
        setFolders(list);
        setFolderError(null);
      },
      (e: unknown) => live && setFolderError(e instanceof ApiError ? e.message : "The folders could not be loaded."),
    );
    return () => {
      live = false;
    };
  }, [folderLoads]);

  useEffect(() => {
    const toSignIn = () => router.replace("/login");
    window.addEventListener(SESSION_ENDED_EVENT, toSignIn);
    return () => window.removeEventListener(SESSION_ENDED_EVENT, toSignIn);
  }, [router]);

  function navigate(next: { folder: string; open: OpenedMessage | null }) {
    const params = new URLSearchParams({ folder: next.folder });
    if (next.open) {
      params.set("uid", String(next.open.uid));
      params.set("uidValidity", next.open.uidValidity);
    }
    // Next.js keeps useSearchParams in step with the history API, without a server round trip.
    window.history.pushState(null, "", `/mail?${params.toString()}`);
  }

  function selectFolder(path: string) {
    setFlagOverrides(new Map());
    setHidden(new Set());
    setSelection(emptySelection);
    setShowFolders(false);
    navigate({ folder: path, open: null });
  }

  const onFlagsChange = useCallback(
    (uid: number, change: { seen?: boolean; flagged?: boolean }) => {
      setFlagOverrides((prev) => new Map(prev).set(uid, { ...prev.get(uid), ...change }));
      if (change.seen !== undefined) {
        // Keep the folder's unread count in step without another LIST round trip.
        setFolders((prev) =>
          prev?.map((f) => (f.path === folder ? { ...f, unread: Math.max(0, f.unread + (change.seen ? -1 : 1)) } : f)) ?? prev,
        );
      }
    },
    [folder],
  );

  const current = folders?.find((f) => f.path === folder);
  const label = current ? folderLabel(current) : folder;

  // A message in Drafts opens in the composer, to be finished, rather than in the reader.
  const openDraft = current?.role === "drafts" && open ? open : null;
  const draftUid = openDraft?.uid ?? 0;
  const draftUidValidity = openDraft?.uidValidity ?? "";
  useEffect(() => {
    if (!draftUid) return;
    openComposer({ mode: "draft", folder, uidValidity: draftUidValidity, uid: draftUid });
    window.history.replaceState(null, "", `/mail?${new URLSearchParams({ folder }).toString()}`);
  }, [folder, draftUid, draftUidValidity]);

  // --- Organizing: message actions -------------------------------------------------------------

  const refreshFolders = useCallback(() => setFolderLoads((n) => n + 1), []);
  const labelOf = useCallback(
    (path: string) => {
      const f = folders?.find((x) => x.path === path);
      return f ? folderLabel(f) : path;
    },
    [folders],
  );
  const hide = useCallback((uids: number[]) => {
    setHidden((prev) => new Set([...prev, ...uids]));
    setSelection((prev) => ({ ...withoutUids(prev, uids), allInFolder: false }));
  }, []);
  const unhide = useCallback((uids: number[]) => {
    setHidden((prev) => {
      const next = new Set(prev);
      for (const uid of uids) next.delete(uid);
      return next;
    });
  }, []);
  // What the overrides were before a change is read here, not inside the state updater, which
  // React may run only at the next render (after the caller needed the answer).
  const overridesRef = useRef(flagOverrides);
  useEffect(() => {
    overridesRef.current = flagOverrides;
  });
  const overrideFlags = useCallback(
    (uids: number[], change: Partial<MessageFlags> | null, previous?: Map<number, Partial<MessageFlags> | undefined>) => {
      const before = new Map<number, Partial<MessageFlags> | undefined>();
      for (const uid of uids) before.set(uid, overridesRef.current.get(uid));
      setFlagOverrides((prev) => {
        const next = new Map(prev);
        for (const uid of uids) {
          const restore = previous?.get(uid);
          if (change) next.set(uid, { ...prev.get(uid), ...change });
          else if (restore) next.set(uid, restore);
          else next.delete(uid);
        }
        return next;
      });
      return before;
    },
    [],
  );
  const afterChange = useCallback(() => {
    // The server's truth: counts in the tree and the rows on screen.
    refreshFolders();
    setResyncToken((n) => n + 1);
  }, [refreshFolders]);
  const onServerStateLost = useCallback(() => {
    setHidden(new Set());
    setReloadToken((t) => t + 1);
  }, []);
  const { run, progress } = useMessageActions({ labelOf, hide, unhide, overrideFlags, afterChange, onServerStateLost });
  const onViewChange = useCallback((next: ListView) => setView(next), []);

  /** The selection; else the open message; else (for shortcuts) the focused row. */
  function actionTarget(withFocus: boolean): ActionTarget | null {
    if (selection.allInFolder) return { folder, uidValidity: view.uidValidity, allInFolder: true };
    if (selection.uids.size > 0 && view.uidValidity) return { folder, uidValidity: view.uidValidity, uids: [...selection.uids] };
    if (open) return { folder, uidValidity: open.uidValidity, uids: [open.uid] };
    const focused = withFocus ? listRef.current?.focusedUid() : null;
    if (focused && view.uidValidity) return { folder, uidValidity: view.uidValidity, uids: [focused] };
    return null;
  }

  function act(target: ActionTarget, action: MessageAction) {
    const removes = action.type !== "flags" && action.type !== "copy";
    if (removes && open && (target.allInFolder || target.uids.includes(open.uid))) navigate({ folder, open: null });
    void run(target, action);
  }

  function deleteTarget(target: ActionTarget) {
    if (current?.role !== "trash") {
      act(target, { type: "trash" });
      return;
    }
    const n = target.allInFolder ? view.total : target.uids.length;
    setDialog({
      kind: "confirm",
      request: {
        title: "Delete permanently?",
        message: `${n === 1 ? "This message" : `These ${n.toLocaleString()} messages`} will be deleted permanently. This cannot be undone.`,
        confirmLabel: "Delete permanently",
        onConfirm: () => act(target, { type: "deletePermanently" }),
      },
    });
  }

  function emptyTrash() {
    setDialog({
      kind: "confirm",
      request: {
        title: "Empty Trash?",
        message: `Every message in Trash (${view.total.toLocaleString()}) will be deleted permanently. This cannot be undone.`,
        confirmLabel: "Empty Trash",
        onConfirm: () => {
          organizeApi.emptyTrash().then(
            (r) => {
              toast.show({ message: `Trash emptied: ${r.deleted.toLocaleString()} deleted.` });
              setSelection(emptySelection);
              onServerStateLost();
              refreshFolders();
            },
            (e: unknown) => toast.show({ tone: "error", message: e instanceof ApiError ? e.message : "Trash could not be emptied." }),
          );
        },
      },
    });
  }

  function command(name: ToolbarCommand, withFocus = false) {
    if (name === "emptyTrash") return emptyTrash();
    const target = actionTarget(withFocus);
    if (!target) return;
    switch (name) {
      case "markRead":
        return act(target, { type: "flags", seen: true });
      case "markUnread":
        return act(target, { type: "flags", seen: false });
      case "flag":
        return act(target, { type: "flags", flagged: true });
      case "unflag":
        return act(target, { type: "flags", flagged: false });
      case "move":
      case "copy":
        return setDialog({ kind: "pick", mode: name, target });
      case "archive":
        return act(target, { type: "archive" });
      case "junk":
        return act(target, { type: "junk" });
      case "delete":
        return deleteTarget(target);
    }
  }

  /** The narrow-screen reader toolbar acts on the open message only, whatever is selected. */
  function openMessageCommand(name: "archive" | "delete" | "move") {
    if (!open) return;
    const target: ActionTarget = { folder, uidValidity: open.uidValidity, uids: [open.uid] };
    if (name === "archive") act(target, { type: "archive" });
    else if (name === "delete") deleteTarget(target);
    else setDialog({ kind: "pick", mode: "move", target });
  }

  function onDropMessages(destination: string, payload: MessageDragPayload, copy: boolean) {
    if (payload.folder !== folder) return;
    const target: ActionTarget = payload.allInFolder
      ? { folder, uidValidity: payload.uidValidity, allInFolder: true }
      : { folder, uidValidity: payload.uidValidity, uids: payload.uids };
    act(target, copy ? { type: "copy", destination } : { type: "move", destination });
  }

  // --- Organizing: folders ----------------------------------------------------------------------

  function onFolderCommand(name: FolderCommand, target: Folder | null) {
    if (name === "manage") return setDialog({ kind: "manage" });
    if (name === "new") return setDialog({ kind: "new", parentPath: target?.path ?? null });
    if (!target) return;
    if (name === "rename") return setDialog({ kind: "rename", folder: target });
    // Ask the server for the count now: the tree's may be minutes old.
    api.folders().then(
      (list) => {
        setFolders(list);
        setDialog({ kind: "delete", folder: list.find((f) => f.path === target.path) ?? target });
      },
      () => setDialog({ kind: "delete", folder: target }),
    );
  }

  function leaveIfGone(path: string, replacement: string) {
    if (folder === path || folder.startsWith(path + (current?.delimiter ?? "/"))) {
      selectFolder(replacement + folder.slice(path.length));
    }
  }

  // --- Keyboard shortcuts -----------------------------------------------------------------------

  function messageForCompose(): { folder: string; uidValidity: string; uid: number } | null {
    if (open) return { folder, uidValidity: open.uidValidity, uid: open.uid };
    const focused = listRef.current?.focusedUid();
    return focused && view.uidValidity ? { folder, uidValidity: view.uidValidity, uid: focused } : null;
  }

  useKeyboardShortcuts((name: ShortcutCommand) => {
    const list = listRef.current;
    switch (name) {
      case "next":
      case "previous": {
        const delta = name === "next" ? 1 : -1;
        if (open) {
          const uid = list?.neighbour(open.uid, delta);
          if (uid) navigate({ folder, open: { uid, uidValidity: open.uidValidity } });
        } else list?.moveFocus(delta);
        return;
      }
      case "open": {
        const uid = list?.focusedUid();
        if (uid && view.uidValidity) navigate({ folder, open: { uid, uidValidity: view.uidValidity } });
        return;
      }
      case "back":
        if (open) {
          navigate({ folder, open: null });
          list?.focusUid(open.uid);
        }
        return;
      case "select": {
        const uid = list?.focusedUid() ?? open?.uid;
        if (uid) setSelection((prev) => toggleOne(prev, uid));
        return;
      }
      case "archive":
        return command("archive", true);
      case "delete":
        return command("delete", true);
      case "flag": {
        const target = actionTarget(true);
        if (!target) return;
        const first = target.allInFolder ? null : target.uids[0];
        const flagged = first ? list?.flagsOf(first)?.flagged : false;
        return act(target, { type: "flags", flagged: !flagged });
      }
      case "markRead":
        return command("markRead", true);
      case "markUnread":
        return command("markUnread", true);
      case "move":
        return command("move", true);
      case "compose":
        return openComposer({ mode: "new" });
      case "reply":
      case "replyAll":
      case "forward": {
        const message = messageForCompose();
        if (message) openComposer({ mode: name, ...message });
        return;
      }
      case "help":
        return setDialog({ kind: "help" });
    }
  });

  async function signOutKeepingDrafts() {
    // A shared computer should not keep the message being written once Drafts holds it; if the
    // server did not take it, the browser's copy stays so that nothing is lost.
    if (await saveDraftsBeforeSignOut()) clearLocal(login);
    await signOut({ callbackUrl: "/login" });
  }

  const closeDialog = useCallback(() => setDialog(null), []);
  const targetCount = selection.allInFolder ? view.total : selection.uids.size || (open ? 1 : 0);

  return (
    <div className="flex h-dvh flex-col">
      <header className="flex items-center gap-3 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <Button
          variant="ghost"
          className="md:hidden"
          aria-expanded={showFolders}
          aria-controls="folder-pane"
          onClick={() => setShowFolders((v) => !v)}
        >
          ☰ <span className="sr-only">Show folders</span>
        </Button>
        <span className="text-lg font-semibold tracking-tight">Letterbox</span>
        <Button variant="primary" onClick={() => openComposer({ mode: "new" })}>
          Compose
        </Button>
        <span className="ml-auto hidden truncate text-sm text-slate-500 sm:inline">{login}</span>
        <Button variant="ghost" onClick={() => setDialog({ kind: "help" })}>
          Keyboard shortcuts
        </Button>
        <Button
          variant="ghost"
          onClick={() => {
            setHidden(new Set());
            setReloadToken((t) => t + 1);
            setFolderLoads((n) => n + 1);
          }}
        >
          Refresh
        </Button>
        <Button onClick={() => void signOutKeepingDrafts()}>Sign out</Button>
      </header>
      <div className="flex min-h-0 flex-1">
        <div
          id="folder-pane"
          className={`${showFolders ? "block" : "hidden"} w-full shrink-0 border-r border-slate-200 md:block md:w-60 dark:border-slate-800`}
        >
          <FolderTree
            folders={folders}
            current={folder}
            onSelect={selectFolder}
            error={folderError}
            onCommand={onFolderCommand}
            onDropMessages={onDropMessages}
          />
        </div>
        <main
          className={`${showFolders ? "hidden" : "flex"} min-w-0 flex-1 md:flex`}>
          <div
            className={`${open ? "hidden lg:flex" : "flex"} w-full min-w-0 flex-col border-r border-slate-200 lg:w-[26rem] lg:shrink-0 dark:border-slate-800`}
          >
            <MessageToolbar
              targetCount={targetCount}
              selectedCount={selection.uids.size}
              loadedCount={view.order.length}
              folderTotal={view.total}
              allInFolder={selection.allInFolder}
              folderLabel={label}
              role={current?.role ?? null}
              progress={progress}
              onSelectAll={(checked) => setSelection(checked ? selectAllLoaded(view.order) : emptySelection)}
              onSelectWholeFolder={() => setSelection({ uids: new Set(), anchor: null, allInFolder: true })}
              onClearSelection={() => setSelection(emptySelection)}
              onCommand={(name) => command(name)}
            />
            <MessageList
              folder={folder}
              folderLabel={label}
              selectedUid={open?.uid ?? null}
              flagOverrides={flagOverrides}
              reloadToken={reloadToken}
              onOpen={(message) => navigate({ folder, open: message })}
              hidden={hidden}
              resyncToken={resyncToken}
              selection={selection}
              onSelectionChange={setSelection}
              onViewChange={onViewChange}
              handleRef={listRef}
            />
          </div>
          <div
            className={
              composer.open
                ? "fixed inset-0 z-40 flex min-w-0 flex-col bg-white lg:static lg:z-auto lg:flex-1 dark:bg-slate-950"
                : `${open ? "flex" : "hidden lg:flex"} min-w-0 flex-1 flex-col`
            }
          >
            {!composer.open && open && !openDraft && <ReaderActions onCommand={openMessageCommand} />}
            {composer.open ? (
              composer.view
            ) : open && !openDraft ? (
              <MessageReader
                key={`${folder}|${open.uidValidity}|${open.uid}`}
                folder={folder}
                uidValidity={open.uidValidity}
                uid={open.uid}
                onFlagsChange={onFlagsChange}
                onBack={() => navigate({ folder, open: null })}
              />
            ) : (
              <div className="flex flex-1 items-center justify-center text-sm text-slate-500">Select a message to read it.</div>
            )}
          </div>
        </main>
      </div>
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
          toast.show({ message: `Folder “${folderLabel(deleted)}” deleted${moved > 0 ? `; ${moved.toLocaleString()} messages moved to Trash` : ""}.` });
        }}
        onFolderDeleteFailed={(failed, message) => {
          closeDialog();
          toast.show({ tone: "error", message, durationMs: 10_000 });
          // Show the folders as the server has them now; leave a folder that is gone.
          api.folders().then((list) => {
            setFolders(list);
            if (folder === failed.path && !list.some((f) => f.path === failed.path)) selectFolder("INBOX");
          }, refreshFolders);
        }}
        onSubscriptionsChanged={refreshFolders}
        onPick={(mode, target, destination) => {
          closeDialog();
          act(target, { type: mode, destination });
        }}
      />
    </div>
  );
}
