import type { Metadata, Viewport } from "next";
import { THEME_BOOT_SCRIPT } from "@/components/mail/shell/theme";
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
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // The theme script sets the "dark" class before React runs: the server cannot know it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
