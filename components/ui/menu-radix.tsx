"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import Link from "next/link";
import { useState, type ReactElement } from "react";
import type { MenuEntry } from "./menu";

// Radix's dropdown: roles, roving focus, typeahead, Escape and focus return come from it. Loaded
// when a menu is first opened (see menu.tsx), not with the page.

const itemClass =
  "flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 text-sm outline-none select-none data-[disabled]:opacity-50 data-[highlighted]:bg-slate-100 dark:data-[highlighted]:bg-slate-800";

export default function RadixMenu({
  label,
  trigger,
  entries,
  initiallyOpen,
  align = "end",
}: {
  label: string;
  trigger: ReactElement;
  entries: MenuEntry[];
  initiallyOpen: boolean;
  align?: "start" | "end";
}) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <DropdownMenu.Root open={open} onOpenChange={setOpen} modal={false}>
      <DropdownMenu.Trigger asChild>{trigger}</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          aria-label={label}
          align={align}
          sideOffset={4}
          collisionPadding={8}
          className="z-50 min-w-44 rounded-lg bg-white p-1 text-slate-900 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700"
        >
          {entries.map((entry, i) => {
            switch (entry.kind) {
              case "item":
                return (
                  <DropdownMenu.Item key={i} className={itemClass} disabled={entry.disabled} onSelect={entry.onSelect}>
                    {entry.icon}
                    {entry.label}
                  </DropdownMenu.Item>
                );
              case "link":
                return (
                  <DropdownMenu.Item key={i} asChild className={itemClass}>
                    <Link href={entry.href}>
                      {entry.icon}
                      {entry.label}
                    </Link>
                  </DropdownMenu.Item>
                );
              case "separator":
                return <DropdownMenu.Separator key={i} className="my-1 h-px bg-slate-200 dark:bg-slate-700" />;
              case "label":
                return (
                  <DropdownMenu.Label key={i} className="px-2 py-1 text-xs font-semibold text-slate-600 dark:text-slate-300">
                    {entry.content}
                  </DropdownMenu.Label>
                );
              case "radio":
                return (
                  <DropdownMenu.RadioGroup key={i} value={entry.value} onValueChange={entry.onChange}>
                    {entry.options.map((o) => (
                      <DropdownMenu.RadioItem key={o.value} value={o.value} className={`${itemClass} relative pl-7`}>
                        <DropdownMenu.ItemIndicator className="absolute left-2">✓</DropdownMenu.ItemIndicator>
                        {o.label}
                      </DropdownMenu.RadioItem>
                    ))}
                  </DropdownMenu.RadioGroup>
                );
              case "checkbox":
                return (
                  <DropdownMenu.CheckboxItem
                    key={i}
                    checked={entry.checked}
                    onCheckedChange={(checked) => entry.onChange(checked === true)}
                    className={`${itemClass} relative pl-7`}
                  >
                    <DropdownMenu.ItemIndicator className="absolute left-2">✓</DropdownMenu.ItemIndicator>
                    {entry.label}
                  </DropdownMenu.CheckboxItem>
                );
            }
          })}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
