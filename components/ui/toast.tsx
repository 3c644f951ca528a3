"use client";

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";

export interface ToastInput {
  message: string;
  /** "error" toasts are announced assertively (role="alert"). */
  tone?: "info" | "error";
  /** One action, such as "Undo"; the toast closes after it runs. */
  action?: { label: string; onAction: () => void };
  /** Milliseconds before the toast closes by itself; 0 keeps it until dismissed. Default 6000. */
  durationMs?: number;
  /**
   * For a message that changes every second (a countdown): the toast itself is not a live region,
   * so screen readers hear its first words once (through the provider's announcer), not each tick.
   */
  quiet?: boolean;
}

interface Toast extends ToastInput {
  id: number;
}

interface ToastApi {
  show: (toast: ToastInput) => number;
  /**
   * Replaces an open toast's content (a countdown's tick, "Sending…" becoming "Sent") in place, and
   * restarts its timer. `announce` marks news: read out even for a quiet toast, and shown again if
   * the user had dismissed the toast; a mere tick of a dismissed toast stays dismissed.
   */
  update: (id: number, toast: ToastInput, options?: { announce?: boolean }) => void;
  dismiss: (id: number) => void;
}

const ToastContext = createContext<ToastApi | null>(null);

/** Short-lived messages at the bottom of the screen: "Sent", "Moved 3 messages · Undo". */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  // Which toasts are showing, known synchronously (state updates land later).
  const openIds = useRef(new Set<number>());

  const dismiss = useCallback((id: number) => {
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
    openIds.current.delete(id);
    setToasts((list) => list.filter((t) => t.id !== id));
  }, []);

  // One polite region that is always in the page (a region added together with its text is often
  // not read out): quiet toasts and announced updates speak through it.
  const [announcement, setAnnouncement] = useState("");

  const arm = useCallback(
    (id: number, input: ToastInput) => {
      const previous = timers.current.get(id);
      if (previous) clearTimeout(previous);
      timers.current.delete(id);
      const duration = input.durationMs ?? 6000;
      if (duration > 0)
        timers.current.set(
          id,
          setTimeout(() => dismiss(id), duration),
        );
    },
    [dismiss],
  );

  const show = useCallback(
    (input: ToastInput) => {
      const id = nextId.current++;
      openIds.current.add(id);
      setToasts((list) => [...list.slice(-3), { ...input, id }]);
      if (input.quiet) setAnnouncement(input.message);
      arm(id, input);
      return id;
    },
    [arm],
  );

  const update = useCallback(
    (id: number, input: ToastInput, options: { announce?: boolean } = {}) => {
      const open = openIds.current.has(id);
      // A tick of a toast the user dismissed stays dismissed; news shows it again.
      if (!open && !options.announce) return;
      openIds.current.add(id);
      setToasts((list) =>
        open && list.some((t) => t.id === id)
          ? list.map((t) => (t.id === id ? { ...input, id } : t))
          : [...list.slice(-3), { ...input, id }],
      );
      if (options.announce && input.quiet) setAnnouncement(input.message);
      arm(id, input);
    },
    [arm],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  const api = useMemo(() => ({ show, update, dismiss }), [show, update, dismiss]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div aria-live="polite" className="sr-only">
        {announcement}
      </div>
      {/* Above the phone's bottom action bars (48 px and the home indicator's inset), not over them. */}
      <div className="pointer-events-none fixed inset-x-0 bottom-[calc(4rem+env(safe-area-inset-bottom))] z-50 md:bottom-4 flex flex-col items-center gap-2 px-4">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            role={toast.tone === "error" ? "alert" : "status"}
            aria-live={toast.quiet && toast.tone !== "error" ? "off" : undefined}
            className={`pointer-events-auto flex max-w-lg items-center gap-3 rounded-lg px-4 py-2.5 text-sm shadow-lg ${
              toast.tone === "error"
                ? "bg-red-700 text-white"
                : "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
            }`}
          >
            <span className="min-w-0 flex-1 break-words">{toast.message}</span>
            {toast.action && (
              <button
                type="button"
                className="shrink-0 font-semibold underline underline-offset-2"
                onClick={() => {
                  toast.action?.onAction();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button
              type="button"
              className="shrink-0 opacity-70 hover:opacity-100"
              aria-label="Dismiss"
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast needs a <ToastProvider> above it");
  return api;
}
