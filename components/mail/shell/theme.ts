import type { Theme } from "@/lib/mail/types";

/** Where the last theme chosen is remembered, so the first paint of the next visit has it. */
export const THEME_STORAGE_KEY = "letterbox-theme";

/** On <html> from the first paint until React has hydrated the page (see bootDone). */
const BOOTING_ATTRIBUTE = "data-booting";

/**
 * Runs before the first paint (inlined in the root layout): the dark class from the stored choice,
 * else from the system; and the "booting" mark. The server-rendered page shows its buttons before
 * their handlers exist, and a click then is lost: globals.css makes buttons ignore the pointer
 * until the page's top client component calls bootDone() after hydrating (links and form fields
 * work without JavaScript and stay usable). Without
 * JavaScript this never runs, so nothing is blocked. Kept as a string so that no bundle is needed.
 */
export const THEME_BOOT_SCRIPT = `(function(){document.documentElement.setAttribute("${BOOTING_ATTRIBUTE}","");try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;

/**
 * The page's handlers are attached. Every page's top client component calls it in an effect (the
 * mail app, the sign-in form, the settings form): a root-layout component would cost the mail
 * view's first visit a chunk of its own, and that visit has no bytes to spare (150 kB budget).
 */
export function bootDone(): void {
  document.documentElement.removeAttribute(BOOTING_ATTRIBUTE);
}

/** Applies a theme now and follows the system while it is "system". Returns the clean-up. */
export function applyTheme(theme: Theme): () => void {
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Private windows may refuse storage; the theme still applies for this visit.
  }
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const set = () => document.documentElement.classList.toggle("dark", theme === "dark" || (theme === "system" && media.matches));
  set();
  if (theme !== "system") return () => undefined;
  media.addEventListener("change", set);
  return () => media.removeEventListener("change", set);
}
