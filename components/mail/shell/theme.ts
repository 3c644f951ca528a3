import type { Theme } from "@/lib/mail/types";

/** Where the last theme chosen is remembered, so the first paint of the next visit has it. */
export const THEME_STORAGE_KEY = "letterbox-theme";

/**
 * Runs before the first paint (inlined in the root layout): the dark class from the stored choice,
 * else from the system. Kept as a string so that no bundle is needed to run it.
 */
export const THEME_BOOT_SCRIPT = `(function(){try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;

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
