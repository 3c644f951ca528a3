import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { THEME_BOOT_SCRIPT } from "@/components/mail/shell/theme";
import { NONCE_HEADER } from "@/lib/http/content-security-policy";
import "./globals.css";

export const metadata: Metadata = {
  title: "Letterbox",
  description: "Webmail that is fast, safe with hostile mail, and pleasant all day.",
  referrer: "no-referrer",
  icons: { icon: "/favicon.svg" },
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  // The page reaches under a phone's home indicator and beside its notch; the bottom action bars and
  // the body's side padding keep the controls clear of them (env(safe-area-inset-*), globals.css).
  viewportFit: "cover",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The page's Content-Security-Policy (proxy.ts) runs only scripts with this request's nonce.
  // Reading it makes every page render per request, which they did already (the session cookie).
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    // The theme script sets the "dark" class before React runs: the server cannot know it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
