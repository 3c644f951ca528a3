import { File, FileArchive, FileImage, FileSpreadsheet, FileText } from "lucide-react";
import { useState } from "react";
import type { Attachment } from "@/lib/mail/types";
import { fileKind, formatFileSize } from "@/components/mail/format-file";

function KindIcon({ contentType, kind }: { contentType: string; kind: string }) {
  const cls = "h-5 w-5 shrink-0 text-slate-600 dark:text-slate-300";
  if (contentType.startsWith("image/")) return <FileImage aria-hidden="true" className={cls} />;
  if (/csv|spreadsheet|excel|XLSX?|ODS/i.test(`${contentType} ${kind}`)) return <FileSpreadsheet aria-hidden="true" className={cls} />;
  if (/zip|tar|gzip|compressed|7z/i.test(contentType)) return <FileArchive aria-hidden="true" className={cls} />;
  if (contentType.startsWith("text/") || /pdf|word|document/i.test(contentType)) return <FileText aria-hidden="true" className={cls} />;
  return <File aria-hidden="true" className={cls} />;
}

/**
 * Chips drawn before "Show all": a message may carry thousands of parts (hostile mail does, to
 * stall the reader), and no one reads past a few dozen chips.
 */
const FIRST_CHIPS = 24;

/** Attachments as chips: a type icon, the name, and "CSV, 12 kB" rather than a raw MIME type. */
export function AttachmentChips({ attachments, hrefOf }: { attachments: Attachment[]; hrefOf: (a: Attachment) => string }) {
  const [all, setAll] = useState(false);
  const shown = all ? attachments : attachments.slice(0, FIRST_CHIPS);
  return (
    <ul aria-label="Attachments" className="flex flex-wrap items-center gap-2">
      {shown.map((a) => {
        const kind = fileKind(a.contentType, a.filename);
        return (
          <li key={a.partId} className="max-w-full">
            <a
              href={hrefOf(a)}
              download={a.filename}
              className="flex max-w-full items-center gap-2 rounded-lg px-3 py-2 text-sm ring-1 ring-slate-300 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-900"
            >
              <KindIcon contentType={a.contentType} kind={kind} />
              <span className="flex min-w-0 flex-col">
                <span className="max-w-[16rem] truncate font-medium">{a.filename}</span>
                <span className="text-xs text-slate-600 dark:text-slate-400">
                  {kind}, {formatFileSize(a.size)}
                </span>
              </span>
            </a>
          </li>
        );
      })}
      {shown.length < attachments.length && (
        <li>
          <button
            type="button"
            onClick={() => setAll(true)}
            className="rounded-lg px-3 py-2 text-sm font-medium text-accent-700 hover:bg-slate-50 dark:text-accent-100 dark:hover:bg-slate-900"
          >
            Show all {attachments.length.toLocaleString()} attachments
          </button>
        </li>
      )}
    </ul>
  );
}
