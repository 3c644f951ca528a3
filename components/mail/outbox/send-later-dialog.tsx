"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { formatWhen } from "./outbox-state";
import {
  fromLocalInputValue,
  mondayMorning,
  sendAtProblem,
  toLocalInputValue,
  tomorrowMorning,
} from "./send-later-times";

/**
 * "Send later": quick choices (tomorrow morning, Monday morning) or a time of the user's own, all in
 * the browser's time zone, which the dialog names. A time already passed is refused here, and again
 * by the server (whose answer is shown the same way).
 */
export default function SendLaterDialog({
  onClose,
  onSchedule,
}: {
  onClose: () => void;
  /** Queues the message for `at`; resolves with the server's refusal in words, or null when queued. */
  onSchedule: (at: Date) => Promise<string | null>;
}) {
  const [now] = useState(() => new Date());
  const [value, setValue] = useState(() => toLocalInputValue(tomorrowMorning(now)));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const problemId = useId();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const choices = [
    { label: "Tomorrow morning", at: tomorrowMorning(now) },
    { label: "Monday morning", at: mondayMorning(now) },
  ];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const at = fromLocalInputValue(value);
    const invalid = sendAtProblem(at, new Date());
    setProblem(invalid);
    if (invalid || !at) return;
    setBusy(true);
    const refused = await onSchedule(at);
    setBusy(false);
    if (refused) setProblem(refused);
    else onClose();
  }

  return (
    <Dialog title="Send later" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate className="space-y-4 text-sm">
        <fieldset>
          <legend className="mb-2 text-slate-600 dark:text-slate-400">Quick choices</legend>
          <div className="flex flex-col gap-2">
            {choices.map((choice) => (
              <Button
                key={choice.label}
                className="justify-between"
                aria-pressed={value === toLocalInputValue(choice.at)}
                onClick={() => {
                  setValue(toLocalInputValue(choice.at));
                  setProblem(null);
                }}
              >
                <span className="flex-1 text-left">{choice.label}</span>
                <span className="text-slate-600 dark:text-slate-400">{formatWhen(choice.at, now)}</span>
              </Button>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor={fieldId} className="mb-1 block font-medium">
            Send at
          </label>
          <input
            id={fieldId}
            type="datetime-local"
            data-autofocus
            value={value}
            min={toLocalInputValue(new Date(now.getTime() - now.getSeconds() * 1000))}
            onChange={(e) => {
              setValue(e.target.value);
              setProblem(null);
            }}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
            className="w-full rounded-lg bg-white px-3 py-2 ring-1 ring-slate-300 focus:ring-2 focus:ring-accent-500 focus:outline-none dark:bg-slate-950 dark:ring-slate-700 dark:[color-scheme:dark]"
          />
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            Your time zone: {zone.replace(/_/g, " ")}. Pick a custom time here.
          </p>
          {problem && (
            <p id={problemId} role="alert" className="mt-2 text-red-700 dark:text-red-300">
              {problem}
            </p>
          )}
        </div>
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" disabled={busy}>
            {busy ? "Scheduling…" : "Schedule"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
