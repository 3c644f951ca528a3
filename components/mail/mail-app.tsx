"use client";

import { signOut } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import type { Folder, MessageFlags } from "@/lib/mail/types";
import { api, ApiError, SESSION_ENDED_EVENT } from "./api-client";
import { openComposer } from "./composer/compose-event";
import { useComposer } from "./composer/composer-host";
import { FolderTree, folderLabel } from "./folder-tree";
import { MessageList, type OpenedMessage } from "./message-list";
import { MessageReader } from "./message-reader";

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
        <Button
          variant="ghost"
          onClick={() => {
            setReloadToken((t) => t + 1);
            setFolderLoads((n) => n + 1);
          }}
        >
          Refresh
        </Button>
        <Button onClick={() => void signOut({ callbackUrl: "/login" })}>Sign out</Button>
      </header>
      <div className="flex min-h-0 flex-1">
        <div
          id="folder-pane"
          className={`${showFolders ? "block" : "hidden"} w-full shrink-0 border-r border-slate-200 md:block md:w-60 dark:border-slate-800`}
        >
          <FolderTree folders={folders} current={folder} onSelect={selectFolder} error={folderError} />
        </div>
        <main
          className={`${showFolders ? "hidden" : "flex"} min-w-0 flex-1 md:flex`}>
          <div
            className={`${open ? "hidden lg:flex" : "flex"} w-full min-w-0 flex-col border-r border-slate-200 lg:w-[26rem] lg:shrink-0 dark:border-slate-800`}
          >
            <MessageList
              folder={folder}
              folderLabel={label}
              selectedUid={open?.uid ?? null}
              flagOverrides={flagOverrides}
              reloadToken={reloadToken}
              onOpen={(message) => navigate({ folder, open: message })}
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
    </div>
  );
}
