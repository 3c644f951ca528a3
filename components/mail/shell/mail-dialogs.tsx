"use client";

import type { Folder } from "@/lib/mail/types";
import { ConfirmDialog, type ConfirmRequest } from "./confirm-dialog";
import { DeleteFolderDialog, NewFolderDialog, RenameFolderDialog } from "@/components/mail/folders/folder-dialogs";
import { FolderPickerDialog } from "@/components/mail/folders/folder-picker-dialog";
import { ManageFoldersDialog } from "@/components/mail/folders/manage-folders-dialog";
import { ShortcutsDialog } from "./shortcuts-dialog";
import type { ActionTarget } from "@/components/mail/data/use-message-actions";

/** The one dialog the shell may show at a time. */
export type DialogState =
  | { kind: "new"; parentPath: string | null }
  | { kind: "rename"; folder: Folder }
  | { kind: "delete"; folder: Folder }
  | { kind: "manage" }
  | { kind: "pick"; mode: "move" | "copy"; target: ActionTarget }
  | { kind: "confirm"; request: ConfirmRequest }
  | { kind: "help" };

export function MailDialogs({
  dialog,
  folders,
  currentFolder,
  onClose,
  onFolderCreated,
  onFolderRenamed,
  onFolderDeleted,
  onFolderDeleteFailed,
  onSubscriptionsChanged,
  onPick,
}: {
  dialog: DialogState | null;
  folders: Folder[] | null;
  currentFolder: string;
  onClose: () => void;
  onFolderCreated: (path: string) => void;
  onFolderRenamed: (oldPath: string, newPath: string) => void;
  onFolderDeleted: (folder: Folder, movedToTrash: number) => void;
  onFolderDeleteFailed: (folder: Folder, message: string) => void;
  onSubscriptionsChanged: () => void;
  onPick: (mode: "move" | "copy", target: ActionTarget, destination: string) => void;
}) {
  if (!dialog) return null;
  switch (dialog.kind) {
    case "new":
      return folders ? <NewFolderDialog folders={folders} parentPath={dialog.parentPath} onClose={onClose} onDone={onFolderCreated} /> : null;
    case "rename":
      return folders ? (
        <RenameFolderDialog
          folder={dialog.folder}
          folders={folders}
          onClose={onClose}
          onDone={(newPath) => onFolderRenamed(dialog.folder.path, newPath)}
        />
      ) : null;
    case "delete":
      return (
        <DeleteFolderDialog
          folder={dialog.folder}
          onClose={onClose}
          onDone={(moved) => onFolderDeleted(dialog.folder, moved)}
          onFailed={(message) => onFolderDeleteFailed(dialog.folder, message)}
        />
      );
    case "manage":
      return <ManageFoldersDialog onClose={onClose} onChanged={onSubscriptionsChanged} />;
    case "pick":
      return folders ? (
        <FolderPickerDialog
          title={dialog.mode === "move" ? "Move to folder" : "Copy to folder"}
          folders={folders}
          exclude={currentFolder}
          onClose={onClose}
          onPick={(destination) => onPick(dialog.mode, dialog.target, destination)}
        />
      ) : null;
    case "confirm":
      return <ConfirmDialog request={dialog.request} onClose={onClose} />;
    case "help":
      return <ShortcutsDialog onClose={onClose} />;
  }
}
