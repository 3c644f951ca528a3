import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { NotificationsSection } from "@/components/mail/settings/notifications-section";
import { Pop3AccountsSection } from "@/components/mail/settings/pop3-accounts-section";
import { SettingsForm } from "@/components/mail/settings/settings-form";
import { currentLogin } from "@/lib/auth/mail-session";
import { getSettings } from "@/lib/settings/get-settings";

export const metadata: Metadata = { title: "Settings – Letterbox" };

export default async function SettingsPage() {
  const login = await currentLogin();
  if (!login) redirect("/login");
  const settings = await getSettings(login);
  return (
    <div className="min-h-full bg-slate-50 dark:bg-slate-900">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950">
        <div className="mx-auto flex max-w-4xl items-center gap-3 px-4 py-2">
          <Link
            href="/mail"
            className="rounded-lg px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            <span aria-hidden="true">← </span>Back to mail
          </Link>
          <span className="ml-auto text-lg font-semibold tracking-tight">Letterbox</span>
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-4 pt-6">
        <SettingsForm login={login} initial={settings} />
        {/* Its own forms and buttons: a section beside the settings form, not inside it. */}
        <NotificationsSection />
        <Pop3AccountsSection />
      </main>
    </div>
  );
}
