"use client";

import { useState } from "react";
import { Tooltip } from "@/components/ui/tooltip";
import type { Address, MessageView } from "@/lib/mail/types";
import { Avatar } from "@/components/mail/avatar";
import { displayAddress, formatFullDate, fullAddress } from "@/components/mail/format";
import { formatRelativeDate } from "./relative-date";

function AddressLine({ label, list }: { label: string; list: Address[] }) {
  if (list.length === 0) return null;
  return (
    <div className="flex gap-2">
      <dt className="w-14 shrink-0 text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words">{list.map(fullAddress).join(", ")}</dd>
    </div>
  );
}

/** "to me", "to me and 2 others", "to Bob, Carol": the recipients in a few words. */
function recipientsSummary(message: MessageView, login: string): string {
  const all = [...message.to, ...message.cc];
  const me = all.some((a) => a.address.toLowerCase() === login.toLowerCase());
  const others = all.filter((a) => a.address.toLowerCase() !== login.toLowerCase());
  if (me && others.length === 0) return "to me";
  if (me) return `to me and ${others.length === 1 ? "1 other" : `${others.length} others`}`;
  if (others.length === 0) return "to undisclosed recipients";
  const names = others.slice(0, 2).map(displayAddress).join(", ");
  return `to ${names}${others.length > 2 ? ` and ${others.length - 2} more` : ""}`;
}

/** Sender with avatar, recipients in brief with the whole list behind "Details", and the date. */
export function ReaderHeader({ message, login }: { message: MessageView; login: string }) {
  const [details, setDetails] = useState(false);
  const from = message.from[0];
  return (
    <div className="flex gap-3">
      <Avatar address={from} size="lg" />
      <div className="min-w-0 flex-1 text-sm">
        <div className="flex flex-wrap items-baseline gap-x-2">
          <span className="font-semibold">{from ? displayAddress(from) : "(no sender)"}</span>
          {from?.name && from.address && <span className="min-w-0 truncate text-slate-600 dark:text-slate-400">{from.address}</span>}
          <Tooltip label={formatFullDate(message.date)}>
            <time dateTime={message.date} tabIndex={0} className="ml-auto shrink-0 text-slate-600 dark:text-slate-400">
              {formatRelativeDate(message.date)}
            </time>
          </Tooltip>
        </div>
        <div className="flex flex-wrap items-center gap-x-2 text-slate-600 dark:text-slate-400">
          <span>{recipientsSummary(message, login)}</span>
          <button
            type="button"
            aria-expanded={details}
            onClick={() => setDetails((d) => !d)}
            className="rounded text-xs font-medium text-accent-700 underline dark:text-accent-100"
          >
            Details
          </button>
        </div>
        {details && (
          <dl className="mt-2 space-y-1 rounded-lg bg-slate-50 p-3 dark:bg-slate-900">
            <AddressLine label="From" list={message.from} />
            <AddressLine label="Reply to" list={message.replyTo} />
            <AddressLine label="To" list={message.to} />
            <AddressLine label="Cc" list={message.cc} />
            <AddressLine label="Bcc" list={message.bcc} />
            <div className="flex gap-2">
              <dt className="w-14 shrink-0 text-slate-600 dark:text-slate-400">Date</dt>
              <dd>{formatFullDate(message.date)}</dd>
            </div>
          </dl>
        )}
      </div>
    </div>
  );
}
