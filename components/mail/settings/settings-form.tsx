"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { ApiError, settingsApi } from "@/components/mail/data/api-client";
import { applyTheme, bootDone } from "@/components/mail/shell/theme";
import { Button } from "@/components/ui/button";
import { UNDO_SEND_CHOICES, type UndoSendSeconds, type UserSettings } from "@/lib/mail/types";
import { ChoiceGroup } from "./choice-group";
import { SettingsSection } from "./settings-section";
import { SignatureField } from "./signature-field";

type Status = { kind: "idle" } | { kind: "saving" } | { kind: "saved" } | { kind: "error"; message: string };

/** Only what changed goes to the server: another browser's change to another setting survives. */
function changedFields(saved: UserSettings, draft: UserSettings): Partial<UserSettings> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(draft) as (keyof UserSettings)[]) {
    if (JSON.stringify(draft[key]) !== JSON.stringify(saved[key])) patch[key] = draft[key];
  }
  return patch as Partial<UserSettings>;
}

/**
 * Every setting of this login, saved together with "Save changes". Sections are listed in order;
 * a later issue adds its own with one more <SettingsSection>.
 */
export function SettingsForm({ login, initial }: { login: string; initial: UserSettings }) {
  const id = useId();
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState(initial);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  // The theme shows as soon as it is picked, here and (through the stored choice) on the next page.
  useEffect(() => applyTheme(draft.theme), [draft.theme]);
  useEffect(bootDone, []);
  const patch = changedFields(saved, draft);
  const dirty = Object.keys(patch).length > 0;
  const set = <K extends keyof UserSettings>(key: K, value: UserSettings[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setStatus({ kind: "idle" });
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!dirty) return;
    setStatus({ kind: "saving" });
    try {
      const stored = await settingsApi.saveSettings(patch);
      setSaved(stored);
      setDraft(stored);
      setStatus({ kind: "saved" });
    } catch (error) {
      setStatus({ kind: "error", message: error instanceof ApiError ? error.message : "The settings were not saved. Try again." });
    }
  }

  return (
    <form onSubmit={save} aria-labelledby={`${id}-title`} noValidate>
      <h1 id={`${id}-title`} className="text-2xl font-semibold tracking-tight">
        Settings
      </h1>
      <p className="mt-1 text-sm break-words text-slate-600 dark:text-slate-400">
        For <span className="font-medium text-slate-800 dark:text-slate-200">{login}</span>, in every browser you sign in from.
      </p>

      <div className="mt-6 rounded-xl bg-white px-4 ring-1 ring-slate-200 sm:px-6 dark:bg-slate-950 dark:ring-slate-800">
        <SettingsSection id="profile" title="Profile" description="How you appear to the people you write to.">
          <div>
            <label htmlFor={`${id}-name`} className="mb-1 block text-sm font-medium">
              Display name
            </label>
            <p id={`${id}-name-hint`} className="mb-2 text-sm text-slate-600 dark:text-slate-400">
              Shown beside your address as the sender of your mail. Leave it empty to send with your address alone.
            </p>
            <input
              id={`${id}-name`}
              type="text"
              autoComplete="name"
              maxLength={200}
              value={draft.displayName}
              onChange={(event) => set("displayName", event.target.value)}
              aria-describedby={`${id}-name-hint`}
              className="w-full max-w-md rounded-lg bg-white px-3 py-1.5 text-sm ring-1 ring-slate-300 outline-none focus:ring-2 focus:ring-accent-500 dark:bg-slate-950 dark:ring-slate-700"
            />
          </div>
          <SignatureField value={draft.signature} onChange={(signature) => set("signature", signature)} />
        </SettingsSection>

        <SettingsSection id="appearance" title="Appearance">
          <ChoiceGroup
            legend="Theme"
            name="theme"
            value={draft.theme}
            onChange={(theme) => set("theme", theme)}
            choices={[
              { value: "system", label: "System", hint: "Light or dark, as this device is set." },
              { value: "light", label: "Light" },
              { value: "dark", label: "Dark" },
            ]}
          />
          <ChoiceGroup
            legend="Density"
            name="density"
            value={draft.density}
            onChange={(density) => set("density", density)}
            choices={[
              { value: "comfortable", label: "Comfortable", hint: "More room around each message." },
              { value: "compact", label: "Compact", hint: "More messages on the screen at once." },
            ]}
          />
        </SettingsSection>

        <SettingsSection id="reading" title="Reading">
          <ChoiceGroup
            legend="After archiving, deleting or moving the open message"
            name="auto-advance"
            value={draft.autoAdvance}
            onChange={(autoAdvance) => set("autoAdvance", autoAdvance)}
            choices={[
              { value: "newer", label: "Open the next newer message" },
              { value: "older", label: "Open the next older message" },
              { value: "list", label: "Go back to the list" },
            ]}
          />
          <div className="flex items-start gap-2">
            <input
              id={`${id}-conversations`}
              type="checkbox"
              className="mt-0.5 h-4 w-4"
              checked={draft.conversations}
              onChange={(event) => set("conversations", event.target.checked)}
              aria-describedby={`${id}-conversations-hint`}
            />
            <div>
              <label htmlFor={`${id}-conversations`} className="block text-sm font-medium">
                Conversations
              </label>
              <p id={`${id}-conversations-hint`} className="text-sm text-slate-600 dark:text-slate-400">
                Group a message with its replies, yours in Sent included, in one row of the list (when it is sorted by date).
              </p>
            </div>
          </div>
        </SettingsSection>

        <SettingsSection id="sending" title="Sending">
          <div>
            <label htmlFor={`${id}-undo`} className="mb-1 block text-sm font-medium">
              Undo send window
            </label>
            <p id={`${id}-undo-hint`} className="mb-2 text-sm text-slate-600 dark:text-slate-400">
              How long a sent message waits in the outbox, so that “Undo” can still take it back.
            </p>
            <select
              id={`${id}-undo`}
              value={draft.undoSendSeconds}
              onChange={(event) => set("undoSendSeconds", Number(event.target.value) as UndoSendSeconds)}
              aria-describedby={`${id}-undo-hint`}
              className="rounded-lg bg-white px-3 py-1.5 text-sm ring-1 ring-slate-300 outline-none focus:ring-2 focus:ring-accent-500 dark:bg-slate-950 dark:ring-slate-700"
            >
              {UNDO_SEND_CHOICES.map((seconds) => (
                <option key={seconds} value={seconds}>
                  {seconds === 0 ? "Off (send at once)" : `${seconds} seconds`}
                </option>
              ))}
            </select>
          </div>
        </SettingsSection>
      </div>

      <div className="sticky bottom-0 mt-4 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-slate-50 py-3 dark:border-slate-800 dark:bg-slate-900">
        <Button type="submit" variant="primary" disabled={!dirty || status.kind === "saving"}>
          {status.kind === "saving" ? "Saving…" : "Save changes"}
        </Button>
        {dirty ? (
          <Button
            onClick={() => {
              setDraft(saved);
              setStatus({ kind: "idle" });
            }}
            disabled={status.kind === "saving"}
          >
            Discard changes
          </Button>
        ) : null}
        <p role="status" className="min-w-0 text-sm text-slate-700 dark:text-slate-300">
          {status.kind === "saved" ? "Settings saved." : status.kind === "idle" && dirty ? "You have unsaved changes." : ""}
        </p>
        {status.kind === "error" ? (
          <p role="alert" className="w-full text-sm text-red-700 dark:text-red-400">
            {status.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}
