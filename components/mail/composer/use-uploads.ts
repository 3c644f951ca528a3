"use client";

import { useCallback, useEffect, useRef, type Dispatch, type SetStateAction } from "react";
import type { ComposeLimits } from "@/lib/mail/types";
import { ApiError } from "@/components/mail/data/api-client";
import { composeApi, uploadFile } from "@/components/mail/data/compose-api";
import { formatFileSize } from "@/components/mail/format-file";
import type { AttachmentItem, ComposerState } from "./composer-state";

/**
 * Adds files to the composer: each uploads at once, with progress; a file over the server's limit
 * is refused with the reason before a byte is sent. Cancel aborts the transfer; Remove deletes the
 * server's copy.
 */
export function useUploads(setState: Dispatch<SetStateAction<ComposerState>>, limits: ComposeLimits | null) {
  const aborts = useRef(new Map<string, () => void>());

  useEffect(() => {
    const pending = aborts.current;
    return () => pending.forEach((abort) => abort());
  }, []);

  const patch = useCallback(
    (localId: string, change: Partial<AttachmentItem>) =>
      setState((s) => ({ ...s, attachments: s.attachments.map((a) => (a.localId === localId ? { ...a, ...change } : a)) })),
    [setState],
  );

  const add = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const localId = crypto.randomUUID();
        const filename = file.name || `pasted-image.${(file.type.split("/")[1] ?? "png").replace(/[^a-z0-9]/gi, "")}`;
        const item: AttachmentItem = { localId, filename, size: file.size, status: "uploading", loaded: 0, upload: null, error: null };
        if (limits && file.size > limits.maxUploadBytes) {
          setState((s) => ({
            ...s,
            attachments: [
              ...s.attachments,
              {
                ...item,
                status: "error",
                error: `${filename} is ${formatFileSize(file.size)}; the mail server accepts at most ${formatFileSize(limits.maxUploadBytes)} of attachments per message. Share it another way, or attach a smaller file.`,
              },
            ],
          }));
          continue;
        }
        setState((s) => ({ ...s, attachments: [...s.attachments, item] }));
        const transfer = uploadFile(file, filename, (loaded) => patch(localId, { loaded }));
        aborts.current.set(localId, transfer.abort);
        transfer.done.then(
          (upload) => patch(localId, { status: "done", loaded: file.size, upload }),
          (error: unknown) => {
            if (error instanceof ApiError && error.code === "ABORTED") return;
            patch(localId, { status: "error", error: error instanceof ApiError ? error.message : "The upload failed." });
          },
        ).finally(() => aborts.current.delete(localId));
      }
    },
    [limits, patch, setState],
  );

  const remove = useCallback(
    (item: AttachmentItem) => {
      aborts.current.get(item.localId)?.();
      setState((s) => ({ ...s, attachments: s.attachments.filter((a) => a.localId !== item.localId) }));
      if (item.upload) void composeApi.deleteUpload(item.upload.id).catch(() => undefined);
    },
    [setState],
  );

  return { add, remove };
}
