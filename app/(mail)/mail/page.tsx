import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { MailApp } from "@/components/mail/mail-app";
import { ToastProvider } from "@/components/ui/toast";
import { currentLogin } from "@/lib/auth/mail-session";

export const metadata: Metadata = { title: "Mail – Letterbox" };

export default async function MailPage() {
  const login = await currentLogin();
  if (!login) redirect("/login");
  return (
    <ToastProvider>
      <MailApp login={login} />
    </ToastProvider>
  );
}
