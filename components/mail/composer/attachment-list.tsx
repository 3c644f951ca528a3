"use client";

import { Icon } from "@/components/ui/icon";
import { formatFileSize } from "@/components/mail/format-file";
import type { AttachmentItem } from "./composer-state";

/** Each file with its upload progress, and a control to cancel the upload or remove the file. */
export function AttachmentList({ items, onRemove }: { items: AttachmentItem[]; onRemove: (item: AttachmentItem) => void }) {
  if (items.length === 0) return null;
  return (
    <ul aria-label="Attachments" className="flex flex-col gap-1.5 px-3 py-2">
      {items.map((item) => (
        <li
          key={item.localId}
          aria-label={item.filename}
          className={`flex flex-wrap items-center gap-2 rounded-lg px-2 py-1.5 text-sm ring-1 ${
            item.status === "error" ? "bg-red-50 ring-red-300 dark:bg-red-950" : "ring-slate-200 dark:ring-slate-700"
          }`}
        >
          <Icon name="paperclip" className="inline h-4 w-4 shrink-0" />
          <span className="max-w-[16rem] truncate">{item.filename}</span>
          <span className="text-xs text-slate-500">{formatFileSize(item.size)}</span>
          {item.status === "uploading" && (
            <progress
              aria-label={`Uploading ${item.filename}`}
              max={item.size || 1}
              value={item.loaded}
              className="h-2 w-32 overflow-hidden rounded"
            />
          )}
          {item.status === "done" && <span className="sr-only">uploaded</span>}
          {item.error && (
            <span role="alert" className="basis-full text-xs text-red-800 dark:text-red-200">
              {item.error}
            </span>
          )}
          <button
            type="button"
            className="ml-auto rounded px-2 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            aria-label={item.status === "uploading" ? `Cancel upload of ${item.filename}` : `Remove ${item.filename}`}
            onClick={() => onRemove(item)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
