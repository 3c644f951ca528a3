"use client";

import { cloneElement, lazy, Suspense, useState, type KeyboardEvent, type MouseEvent, type ReactElement, type ReactNode } from "react";

/** What a menu holds, as data: the menu itself (Radix) loads only when it is first opened. */
export type MenuEntry =
  | { kind: "item"; label: string; icon?: ReactNode; disabled?: boolean; onSelect: () => void }
  | { kind: "link"; label: string; icon?: ReactNode; href: string }
  | { kind: "separator" }
  | { kind: "label"; content: ReactNode }
  | { kind: "radio"; value: string; options: { value: string; label: string }[]; onChange: (value: string) => void }
  | { kind: "checkbox"; label: string; checked: boolean; onChange: (checked: boolean) => void };

let radixLoaded = false;
const RadixMenu = lazy(() =>
  import("./menu-radix").then((module) => {
    radixLoaded = true;
    return module;
  }),
);

type TriggerProps = {
  onClick?: (event: MouseEvent<HTMLElement>) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLElement>) => void;
  "aria-haspopup"?: "menu";
  "aria-expanded"?: boolean;
};

/**
 * A menu button. Until the first open only the trigger exists (with the ARIA a menu button has);
 * opening it by click or keyboard loads the menu and shows it open, so menus cost nothing on the
 * first visit.
 */
export function Menu({ label, trigger, entries, align }: { label: string; trigger: ReactElement<TriggerProps>; entries: MenuEntry[]; align?: "start" | "end" }) {
  const [wanted, setWanted] = useState(radixLoaded);
  const [openNow, setOpenNow] = useState(false);
  if (wanted) {
    const placeholder = cloneElement(trigger, { "aria-haspopup": "menu", "aria-expanded": false });
    return (
      <Suspense fallback={placeholder}>
        <RadixMenu label={label} trigger={trigger} entries={entries} initiallyOpen={openNow} align={align} />
      </Suspense>
    );
  }
  const open = () => {
    setOpenNow(true);
    setWanted(true);
  };
  return cloneElement(trigger, {
    "aria-haspopup": "menu",
    "aria-expanded": false,
    onClick: open,
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      if (event.key === "ArrowDown" || event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open();
      }
    },
  });
}
