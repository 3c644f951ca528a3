"use client";

import { ArrowDownUp } from "lucide-react";
import { IconButton } from "@/components/ui/icon-button";
import { Menu, MenuContent, MenuLabel, MenuRadioGroup, MenuSeparator, MenuTrigger } from "@/components/ui/menu";
import type { MessageSortKey, SortOrder } from "@/lib/mail/types";
import type { ListOrder } from "@/components/mail/data/source";

const KEYS: { value: MessageSortKey; label: string }[] = [
  { value: "date", label: "Date" },
  { value: "arrival", label: "Arrival" },
  { value: "from", label: "Sender" },
  { value: "subject", label: "Subject" },
  { value: "size", label: "Size" },
];

const ORDERS: { value: SortOrder; label: string }[] = [
  { value: "desc", label: "Descending" },
  { value: "asc", label: "Ascending" },
];

export function SortMenu({ order, onChange }: { order: ListOrder; onChange: (order: ListOrder) => void }) {
  return (
    <Menu>
      <MenuTrigger asChild>
        <IconButton label="Sort" icon={<ArrowDownUp aria-hidden="true" className="h-4 w-4" />} />
      </MenuTrigger>
      <MenuContent label="Sort">
        <MenuLabel>Sort by</MenuLabel>
        <MenuRadioGroup value={order.sort} options={KEYS} onChange={(sort) => onChange({ ...order, sort })} />
        <MenuSeparator />
        <MenuRadioGroup value={order.order} options={ORDERS} onChange={(o) => onChange({ ...order, order: o })} />
      </MenuContent>
    </Menu>
  );
}
