"use client";

import { useId } from "react";
import { useSettings } from "@/components/mail/data/use-settings";

/**
 * Who the message is from, as the server will write it: the display name from Settings and the
 * login's address (the server always sends from the login, so this is shown, not chosen). Without a
 * display name (Settings → display name) recipients see the bare address, and so does this line.
 */
export function FromLine({ login }: { login: string }) {
  const name = useSettings()?.displayName.trim() ?? "";
  const labelId = useId();
  return (
    <div role="group" aria-labelledby={labelId} className="flex items-center gap-2 border-b border-slate-200 px-3 py-1.5 text-sm dark:border-slate-800">
      <span id={labelId} className="w-10 shrink-0 text-slate-600 sm:w-14 dark:text-slate-400">
        From
      </span>
      <span className="min-w-0 flex-1 truncate py-1" title={name ? `${name} <${login}>` : login}>
        {name ? (
          <>
            {name} <span className="text-slate-600 dark:text-slate-400">&lt;{login}&gt;</span>
          </>
        ) : (
          login
        )}
      </span>
    </div>
  );
}
