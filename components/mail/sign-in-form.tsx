"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { bootDone } from "@/components/mail/shell/theme";
import { Button } from "@/components/ui/button";

// The codes lib/auth/auth-options.ts throws; anything else is shown as the unknown case.
const MESSAGES: Record<string, string> = {
  WRONG_CREDENTIALS: "The email address or password is wrong. Check both and try again.",
  LOGIN_THROTTLED: "Too many sign-in attempts. Wait a minute, then try again.",
  MAIL_SERVER_UNREACHABLE: "The mail server cannot be reached right now. Try again in a moment, or ask your administrator.",
  STORE_UNAVAILABLE: "The session store is unavailable, so you cannot sign in right now. Try again in a moment.",
  UNKNOWN: "Signing in failed for an unknown reason. Try again.",
};

export function SignInForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  useEffect(bootDone, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (result?.ok && !result.error) {
        router.replace("/mail");
        router.refresh();
        return;
      }
      setError(MESSAGES[result?.error ?? "UNKNOWN"] ?? MESSAGES.UNKNOWN!);
    } catch {
      setError("Letterbox itself cannot be reached. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    // POST, should the form be sent before its handler exists: a password never goes in a URL.
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      <div className="space-y-1">
        <label htmlFor="email" className="block text-sm font-medium">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      <div className="space-y-1">
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      {error && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" className="w-full py-2" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
