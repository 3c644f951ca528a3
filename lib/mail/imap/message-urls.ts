import "server-only";

/** The app's own URL for one body part; the browser fetches it with the session cookie. */
export function partUrl(folder: string, uidValidity: string, uid: number, partId: string, download = false): string {
  const query = new URLSearchParams({ folder, uidValidity });
  if (download) query.set("download", "1");
  return `/api/messages/${uid}/parts/${encodeURIComponent(partId)}?${query.toString()}`;
}
