import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/mail/sign-in-form";
import { currentLogin } from "@/lib/auth/mail-session";

export const metadata: Metadata = { title: "Sign in – Letterbox" };

export default async function LoginPage() {
  if (await currentLogin()) redirect("/mail");
  return (
    <main className="flex min-h-full items-center justify-center bg-slate-50 p-4 dark:bg-slate-900">
      <div className="w-full max-w-sm rounded-2xl bg-white p-8 shadow-lg ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800">
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Letterbox</h1>
        <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">Sign in with your mailbox’s address and password.</p>
        <SignInForm />
      </div>
    </main>
  );
}
