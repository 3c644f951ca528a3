"use client";

import { Button } from "@/components/ui/button";

/** Said above a body whose remote images were blocked, with the one way to allow them for it. */
export function RemoteContentNotice({ onAllow }: { onAllow: () => void }) {
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
      <p className="min-w-0 flex-1">Remote images and content in this message were blocked to protect your privacy.</p>
      <Button className="text-xs" onClick={onAllow}>
        Load remote content
      </Button>
    </div>
  );
}
