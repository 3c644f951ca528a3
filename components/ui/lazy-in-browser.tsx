"use client";

import { useEffect, useState, useSyncExternalStore, type ComponentType, type ReactNode } from "react";

const never = () => () => undefined;

/** False on the server and while hydrating, true in the browser from then on. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}

/** A component loaded by lazyInBrowser, and how to fetch its code before it is first needed. */
export type LazyComponent<P extends object> = ComponentType<P> & {
  /** Starts fetching the code (once); resolves when it is there. */
  preload: () => Promise<unknown>;
};

/**
 * A component whose code is fetched the first time it renders, in the browser only: what
 * next/dynamic with `ssr: false` does. The shell's first visit then carries no next/dynamic runtime
 * (about 1.2 kB of compressed script); `fallback` shows on the server, while hydrating, and while
 * the code loads.
 *
 * Not React.lazy and Suspense: React holds back the content of a boundary that has just shown its
 * fallback until 300 ms have passed (its fallback throttle), so the first message opened in a tab
 * painted a third of a second after its code had arrived. Here the fallback is ordinary state, and
 * a component whose code is already loaded (preload(), e.g. when the pointer rests on a row)
 * renders at once, in the same commit.
 */
export function lazyInBrowser<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null): LazyComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () => {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        // Another attempt is made by the next render (a chunk that failed to download).
        loading = null;
        throw error;
      },
    );
    return loading;
  };
  function InBrowser(props: P) {
    const hydrated = useHydrated();
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState<unknown>(null);
    const Component = loaded;
    useEffect(() => {
      if (!hydrated || Component) return;
      let live = true;
      preload().then(
        () => live && setReady((n) => n + 1),
        (error: unknown) => live && setFailed(() => error),
      );
      return () => {
        live = false;
      };
    }, [hydrated, Component]);
    // As React.lazy would: a chunk that could not be loaded goes to the nearest error boundary.
    if (failed) throw failed;
    if (!hydrated || !Component) return fallback;
    return <Component {...props} />;
  }
  return Object.assign(InBrowser, { preload });
}
