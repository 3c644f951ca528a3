import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { MailApp } from "@/components/mail/shell/mail-app";
import { readLocation } from "@/components/mail/shell/mail-location";
import { QueryProvider } from "@/components/mail/data/query-provider";
import { PAGE_SIZE, viewOfFolder } from "@/components/mail/data/source";
import { TIME_ZONE_COOKIE } from "@/components/mail/list/list-date";
import { ToastProvider } from "@/components/ui/toast";
import { currentMailAccount } from "@/lib/auth/mail-session";
import type { MailAccount } from "@/lib/mail/imap/account";
import { loadMailView } from "@/lib/mail/first-paint/load-mail-view";
import { browserClock } from "@/lib/mail/first-paint/browser-clock";

export const metadata: Metadata = { title: "Mail – Letterbox" };

type SearchParams = Record<string, string | string[] | undefined>;

function urlParams(params: SearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(name, v);
  }
  return out;
}

/**
 * The mail view, server-rendered with the folder tree and the first page of rows in the HTML: they
 * paint before the client's script has loaded, and the client starts from the same data (its query
 * cache is seeded under its own keys), so it neither flashes nor asks again. The session is resolved
 * as every route resolves it; a mail server that fails or is slow costs the page only its data.
 */
export default async function MailPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  let account: MailAccount;
  try {
    account = await currentMailAccount();
  } catch {
    redirect("/login");
  }
  const params = urlParams(await searchParams);
  const location = readLocation(params);
  // The list the client would ask for at this URL, by its own rule; none for a search or the Outbox.
  const source = location.source;
  const firstPaint = await loadMailView(account, (settings, folders) => {
    if (source.kind !== "folder" || params.has("outbox")) return null;
    const isDrafts = folders.find((f) => f.path === source.folder)?.role === "drafts";
    const shown = viewOfFolder(source.folder, { conversations: settings.conversations, order: location.order, isDrafts });
    if (shown.kind === "search") return null;
    return { kind: shown.kind, folder: shown.folder, ...location.order, pageSize: PAGE_SIZE };
  });
  const clock = browserClock(firstPaint.at, (await cookies()).get(TIME_ZONE_COOKIE)?.value, (await headers()).get("accept-language"));
  return (
    <QueryProvider seed={firstPaint}>
      <ToastProvider>
        <MailApp login={account.login} clock={clock} />
      </ToastProvider>
    </QueryProvider>
  );
}
