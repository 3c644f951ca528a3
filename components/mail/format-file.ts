// How the reader, the composer and the Outbox describe a file. Apart from format.ts, whose list
// formatters the mail view's first visit carries; these load with the views that show files.

/** A short kind for a MIME type or file name: "CSV", "PDF", "Image". */
export function fileKind(contentType: string, filename: string): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(filename)?.[1];
  if (ext) return ext.toUpperCase();
  const [type = "", sub = ""] = contentType.split(";")[0]!.trim().toLowerCase().split("/");
  if (type === "image") return "Image";
  if (type === "audio") return "Audio";
  if (type === "video") return "Video";
  if (sub === "plain") return "Text";
  return sub ? sub.replace(/^x-/, "").toUpperCase() : "File";
}

/** Sizes in SI units as file managers show them: "12 kB", "3.4 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
}
