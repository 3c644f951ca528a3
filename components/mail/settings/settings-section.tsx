import type { ReactNode } from "react";

/**
 * One group of settings with its heading. Sections stack in the order the page lists them; later
 * issues add theirs ("Sending" with the undo-send window, "POP3 accounts") the same way.
 */
export function SettingsSection({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="grid gap-4 border-t border-slate-200 py-6 first:border-t-0 md:grid-cols-[12rem_minmax(0,1fr)] md:gap-8 dark:border-slate-800"
    >
      <div>
        <h2 id={`${id}-heading`} className="text-base font-semibold">
          {title}
        </h2>
        {description ? <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{description}</p> : null}
      </div>
      <div className="min-w-0 space-y-6">{children}</div>
    </section>
  );
}
