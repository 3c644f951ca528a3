import type { Address } from "@/lib/mail/types";
import { initialsOf } from "./format";

// Dark enough behind white initials for 4.5:1 in both themes.
const COLORS = ["bg-sky-700", "bg-emerald-700", "bg-violet-700", "bg-rose-700", "bg-amber-700", "bg-teal-700", "bg-indigo-700", "bg-fuchsia-700"];

function colorOf(key: string): string {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return COLORS[Math.abs(hash) % COLORS.length] ?? COLORS[0]!;
}

/** The sender's initials in a circle; decorative, the name is always written beside it. */
export function Avatar({ address, size = "md" }: { address: Address | undefined; size?: "md" | "lg" }) {
  const box = size === "lg" ? "h-10 w-10 text-sm" : "h-9 w-9 text-xs";
  return (
    <span aria-hidden="true" className={`${box} ${colorOf(address?.address ?? "")} flex shrink-0 items-center justify-center rounded-full font-semibold text-white`}>
      {initialsOf(address)}
    </span>
  );
}
