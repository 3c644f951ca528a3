"use client";

import { lazy, Suspense, useSyncExternalStore, type ComponentType, type ReactNode } from "react";

const never = () => () => undefined;

/** False on the server and while hydrating, true in the browser from then on. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}

/**
 * A component whose code is fetched the first time it renders, in the browser only: what
 * next/dynamic with `ssr: false` does, on React's own lazy() and Suspense. The shell's first visit
 * then carries no next/dynamic runtime (about 1.2 kB of compressed script); `fallback` shows on the
 * server, while hydrating, and while the code loads.
 */
export function lazyInBrowser<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null): ComponentType<P> {
  const Lazy = lazy(() => load().then((component) => ({ default: component })));
  function InBrowser(props: P) {
    const hydrated = useHydrated();
    if (!hydrated) return fallback;
    return (
      <Suspense fallback={fallback}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  return InBrowser;
}
