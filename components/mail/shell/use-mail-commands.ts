"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { RefObject } from "react";
import { useToast } from "@/components/ui/toast";
import type { AutoAdvance, Folder, MessageAction } from "@/lib/mail/types";
import { ApiError } from "@/components/mail/data/api-client";
import { mailKeys } from "@/components/mail/data/keys";
import { sourceFolder } from "@/components/mail/data/source";
import { useMessageActions, type ActionTarget } from "@/components/mail/data/use-message-actions";
import { openComposer } from "@/components/mail/composer/compose-event";
import type { ListHandle, ListView } from "@/components/mail/list/message-list";
import type { ToolbarCommand } from "@/components/mail/list/message-toolbar";
import type { MessageDragPayload } from "@/components/mail/list/message-row";
import type { ReaderCommand } from "@/components/mail/reader/message-reader";
import { toggleOne, withoutUids, type Selection } from "@/components/mail/list/selection";
import type { DialogState } from "./mail-dialogs";
import type { ShortcutCommand } from "./shortcuts";
import type { MailLocation } from "./use-mail-location";

interface Deps {
  location: MailLocation;
  navigate: (next: MailLocation) => void;
  /** Opens a message; `focusReader` false leaves focus in the list (auto-advance, j/k). */
  openMessage: (uid: number, uidValidity: string, focusReader: boolean) => void;
  current: Folder | undefined;
  view: ListView;
  selection: Selection;
  setSelection: (update: (prev: Selection) => Selection) => void;
  listRef: RefObject<ListHandle | null>;
  autoAdvance: AutoAdvance;
  labelOf: (path: string) => string;
  setDialog: (dialog: DialogState | null) => void;
}

const REMOVES = new Set<MessageAction["type"]>(["move", "archive", "junk", "trash", "deletePermanently"]);

/**
 * What the user can ask of the mail view — toolbar buttons, the reader's actions, drag and drop
 * and keyboard shortcuts — turned into actions on the right messages, with auto-advance.
 */
export function useMailCommands(deps: Deps) {
  const { location, navigate, openMessage, current, view, selection, setSelection, listRef, autoAdvance, labelOf, setDialog } = deps;
  const client = useQueryClient();
  const toast = useToast();
  const { run, progress } = useMessageActions({ labelOf });
  const source = location.source;
  // The rows' folder: a search with in: shows another folder's messages than the tree's.
  const folder = view.folder || sourceFolder(source);
  const open = location.open;
  // A result of in:anywhere names its own folder.
  const openFolder = open?.folder ?? folder;
  // in:anywhere mixes folders: neighbours may be in another folder, so no auto-advance or j/k there.
  const mixed = source.kind === "search" && view.folder === "";

  /** Rows to messages: a conversation row acts on all of its messages in the folder. */
  const expand = (uids: number[]) => [...new Set(uids.flatMap((uid) => view.members.get(uid) ?? [uid]))];

  /** The selection; else the open message (or conversation); else (for shortcuts) the focused row. */
  function actionTarget(withFocus: boolean): ActionTarget | null {
    if (selection.allInFolder) {
      const search = source.kind === "search" ? { query: source.query, folder: source.folder } : undefined;
      return { folder, uidValidity: view.uidValidity, allInFolder: true, order: location.order, search };
    }
    if (selection.uids.size > 0 && view.uidValidity) return { folder, uidValidity: view.uidValidity, uids: expand([...selection.uids]) };
    if (open) return { folder: openFolder, uidValidity: open.uidValidity, uids: open.folder ? [open.uid] : expand([open.uid]) };
    const focused = withFocus && !mixed ? listRef.current?.focusedUid() : null;
    if (focused && view.uidValidity) return { folder, uidValidity: view.uidValidity, uids: expand([focused]) };
    return null;
  }

  /** The list is in the newest-first order unless the user chose ascending. */
  const newerDelta = location.order.order === "desc" ? -1 : 1;

  function act(target: ActionTarget, action: MessageAction) {
    if (REMOVES.has(action.type)) {
      const leaving = new Set(target.allInFolder ? [] : target.uids);
      const list = listRef.current;
      const focused = list?.focusedUid() ?? null;
      const from = open && (target.allInFolder || leaving.has(open.uid)) ? open.uid : focused && leaving.has(focused) ? focused : null;
      if (mixed) {
        if (open) navigate({ ...location, open: null });
      } else if (from !== null && !target.allInFolder) {
        // Gmail's auto-advance: the newer or the older neighbour, as the user chose; focus stays in
        // the list so that the next j, k, e or # carries on from there.
        const preferred = autoAdvance === "older" ? -newerDelta : newerDelta;
        const next = list?.neighbour(from, preferred, leaving) ?? list?.neighbour(from, -preferred, leaving) ?? null;
        if (open && autoAdvance !== "list" && next) openMessage(next, open.uidValidity, false);
        else if (open) navigate({ ...location, open: null });
        if (next) list?.focusUid(next);
      } else if (open && target.allInFolder) {
        navigate({ ...location, open: null });
      }
      setSelection((prev) => ({ ...withoutUids(prev, leaving), allInFolder: false }));
    }
    void run(target, action);
  }

  function deleteTarget(target: ActionTarget) {
    if (current?.role !== "trash") return act(target, { type: "trash" });
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
          // The folder API loads when first used (organize-api.ts), here with the confirmation.
          import("@/components/mail/data/organize-api").then((m) => m.organizeApi.emptyTrash()).then(
            (r) => {
              toast.show({ message: `Trash emptied: ${r.deleted.toLocaleString()} deleted.` });
              setSelection(() => ({ uids: new Set(), anchor: null, allInFolder: false }));
              void client.invalidateQueries({ queryKey: mailKeys.lists() });
              void client.invalidateQueries({ queryKey: mailKeys.folders() });
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

  /** The reader's own buttons act on the open message only, whatever is selected. */
  function readerCommand(name: ReaderCommand) {
    if (!open) return;
    const target: ActionTarget = { folder: openFolder, uidValidity: open.uidValidity, uids: [open.uid] };
    if (name === "archive") act(target, { type: "archive" });
    else if (name === "delete") deleteTarget(target);
    else setDialog({ kind: "pick", mode: "move", target });
  }

  /**
   * The conversation reader's buttons act on the conversation's messages in this folder (its
   * replies in Sent stay where they are), which the reader knows even when the row is not loaded.
   */
  function conversationCommand(name: ReaderCommand | "markUnread", uids: number[]) {
    if (!open || uids.length === 0) return;
    const target: ActionTarget = { folder, uidValidity: open.uidValidity, uids: [...new Set([open.uid, ...uids])] };
    if (name === "archive") act(target, { type: "archive" });
    else if (name === "delete") deleteTarget(target);
    else if (name === "markUnread") act(target, { type: "flags", seen: false });
    else setDialog({ kind: "pick", mode: "move", target });
  }

  function dropMessages(destination: string, payload: MessageDragPayload, copy: boolean) {
    if (payload.folder !== folder) return;
    const target: ActionTarget = payload.allInFolder
      ? { folder, uidValidity: payload.uidValidity, allInFolder: true, order: location.order }
      : { folder, uidValidity: payload.uidValidity, uids: payload.uids };
    act(target, copy ? { type: "copy", destination } : { type: "move", destination });
  }

  function messageForCompose(): { folder: string; uidValidity: string; uid: number } | null {
    if (open) return { folder: openFolder, uidValidity: open.uidValidity, uid: open.uid };
    const focused = mixed ? null : listRef.current?.focusedUid();
    return focused && view.uidValidity ? { folder, uidValidity: view.uidValidity, uid: focused } : null;
  }

  function shortcut(name: ShortcutCommand) {
    const list = listRef.current;
    switch (name) {
      case "next":
      case "previous": {
        const delta = name === "next" ? 1 : -1;
        if (open && mixed) return;
        if (open) {
          const uid = list?.neighbour(open.uid, delta);
          if (uid) {
            openMessage(uid, open.uidValidity, false);
            list?.focusUid(uid);
          }
        } else list?.moveFocus(delta);
        return;
      }
      case "open": {
        const uid = list?.focusedUid();
        if (uid && view.uidValidity) openMessage(uid, view.uidValidity, true);
        return;
      }
      case "back":
        if (open) {
          navigate({ ...location, open: null });
          list?.focusUid(open.uid);
        }
        return;
      case "select": {
        if (mixed) return;
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
      case "search":
        // The shell focuses its search box; nothing to do on the list.
        return;
    }
  }

  return { command, readerCommand, conversationCommand, dropMessages, shortcut, act, progress };
}
