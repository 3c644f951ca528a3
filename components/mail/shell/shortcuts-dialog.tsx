"use client";

import { Dialog } from "@/components/ui/dialog";
import { SHORTCUTS } from "./shortcut-list";

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="w-full text-sm">
        <caption className="sr-only">Keyboard shortcuts</caption>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.command} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <th scope="row" className="py-1 pr-4 text-left font-mono font-normal">
                {s.keys}
              </th>
              <td className="py-1">{s.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-xs text-slate-500">Shortcuts do nothing while you type in a field. There is no search yet, so “/” is not used.</p>
    </Dialog>
  );
}
