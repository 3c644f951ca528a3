"use client";

import { useId } from "react";

export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

/** A native radio group: a fieldset named by its legend, arrow keys move between the choices. */
export function ChoiceGroup<T extends string>({
  legend,
  name,
  value,
  choices,
  onChange,
}: {
  legend: string;
  name: string;
  value: T;
  choices: Choice<T>[];
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <fieldset className="min-w-0">
      <legend className="mb-2 text-sm font-medium">{legend}</legend>
      <div className="space-y-2">
        {choices.map((choice) => (
          // The hint is a description, outside the label: the radio's name stays the choice itself.
          <div key={choice.value} className="flex items-start gap-2.5 text-sm">
            <input
              id={`${id}-${choice.value}`}
              type="radio"
              name={name}
              value={choice.value}
              checked={value === choice.value}
              onChange={() => onChange(choice.value)}
              aria-describedby={choice.hint ? `${id}-${choice.value}-hint` : undefined}
              className="mt-0.5 size-4 shrink-0 cursor-pointer accent-accent-600"
            />
            <div className="min-w-0">
              <label htmlFor={`${id}-${choice.value}`} className="cursor-pointer">
                {choice.label}
              </label>
              {choice.hint ? (
                <p id={`${id}-${choice.value}-hint`} className="text-slate-600 dark:text-slate-400">
                  {choice.hint}
                </p>
              ) : null}
            </div>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
