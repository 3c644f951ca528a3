import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { MailApp } from "@/components/mail/shell/mail-app";
import { QueryProvider } from "@/components/mail/data/query-provider";
import { ToastProvider } from "@/components/ui/toast";
import { currentLogin } from "@/lib/auth/mail-session";

export const metadata: Metadata = { title: "Mail – Letterbox" };

export default async function MailPage() {
  const login = await currentLogin();
  if (!login) redirect("/login");
  return (
    <QueryProvider>
      <ToastProvider>
        <MailApp login={login} />
      </ToastProvider>
    </QueryProvider>
  );
}
