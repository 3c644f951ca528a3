"use client";

import { Icon } from "@/components/ui/icon";
import { IconButton } from "@/components/ui/icon-button";
import { Menu, type MenuEntry } from "@/components/ui/menu";
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

/**
 * The list's menu: sort key and direction, and the "Conversations" view (a setting of the user's,
 * kept on the server; it groups the list when it is in date order).
 */
export function SortMenu({
  order,
  onChange,
  conversations,
  onConversationsChange,
}: {
  order: ListOrder;
  onChange: (order: ListOrder) => void;
  conversations?: boolean;
  onConversationsChange?: (on: boolean) => void;
}) {
  const view: MenuEntry[] =
    conversations !== undefined && onConversationsChange
      ? [{ kind: "separator" }, { kind: "checkbox", label: "Conversations", checked: conversations, onChange: onConversationsChange }]
      : [];
  return (
    <Menu
      label="Sort"
      trigger={<IconButton label="Sort" icon={<Icon name="sort" className="h-4 w-4" />} />}
      entries={[
        { kind: "label", content: "Sort by" },
        { kind: "radio", value: order.sort, options: KEYS, onChange: (sort) => onChange({ ...order, sort: sort as MessageSortKey }) },
        { kind: "separator" },
        { kind: "radio", value: order.order, options: ORDERS, onChange: (o) => onChange({ ...order, order: o as SortOrder }) },
        ...view,
      ]}
    />
  );
}
