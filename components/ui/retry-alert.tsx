/** A failure in the server's words, with one "Try again" — the list's and the readers' error. */
export function RetryAlert({ message, onRetry, className = "" }: { message: string; onRetry: () => void; className?: string }) {
  return (
    <div
      role="alert"
      className={`flex flex-wrap items-center gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200 ${className}`}
    >
      <span className="min-w-0 flex-1">{message}</span>
      <button type="button" className="font-semibold underline" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
