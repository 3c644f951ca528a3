// Stroke icons drawn inline: emoji glyphs depend on the fonts a system happens to have and render
// as empty boxes where it has none.
const PATHS = {
  inbox: "M3 13h5l2 3h4l2-3h5M5.5 5h13L21 13v6H3v-6z",
  drafts: "M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4",
  sent: "M21 3 10 14M21 3l-7 18-4-7-7-4z",
  archive: "M3 4h18v4H3zM5 8v12h14V8M10 12h4",
  junk: "M12 3 2 20h20zM12 10v4M12 17v.5",
  trash: "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6",
  folder: "M3 6h6l2 2h10v11H3z",
  outbox: "M3 13h5l2 3h4l2-3h5M5 13V8M19 13V8M3 13v6h18v-6M12 12V3M8.5 6.5 12 3l3.5 3.5",
  paperclip:
    "M20 11.5 12 19.5a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L9.7 17.2a1.7 1.7 0 0 1-2.4-2.4L15 7",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className = "h-4 w-4" }: { name: IconName; className?: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={`shrink-0 ${className}`}
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
